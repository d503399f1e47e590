'use strict';
// Lets Node require() TypeScript sources (ours and the user's pipeline files) through esbuild,
// with inline source maps so stack traces, and therefore error file:line, point at the .ts source.
const fs = require('node:fs');
const esbuild = require('esbuild');

process.setSourceMapsEnabled(true);

function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  let output;
  try {
    output = esbuild.transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
    });
  } catch (error) {
    const first = error.errors && error.errors[0];
    const where = first && first.location ? `${filename}:${first.location.line}:${first.location.column + 1}` : filename;
    throw new Error(`Cannot load ${where}: ${first ? first.text : error.message}`);
  }
  module._compile(output.code, filename);
}

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = compileTypeScript;
  require.extensions['.tsx'] = compileTypeScript;
}

'use strict';
// Lets Node require() TypeScript sources (ours and the user's pipeline files) through esbuild,
// with inline source maps so stack traces, and therefore error file:line, point at the .ts source.
// Each esbuild call from synchronous code costs a round trip to its service process, so outputs
// are cached on disk by content hash: a warm start transforms nothing.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

process.setSourceMapsEnabled(true);

// node_modules/.cache of the project kfp-ts is installed in (or of this checkout), as
// compiler/util/package-paths.ts finds it for the other caches.
function findCacheDir() {
  for (let folder = __dirname; path.dirname(folder) !== folder; folder = path.dirname(folder)) {
    if (path.basename(folder) === 'node_modules') return path.join(folder, '.cache', 'kfp-ts-transform');
    if (fs.existsSync(path.join(folder, 'node_modules'))) return path.join(folder, 'node_modules', '.cache', 'kfp-ts-transform');
  }
  return path.join(require('node:os').tmpdir(), 'kfp-ts-transform');
}
const cacheDir = findCacheDir();
let esbuild;

function transform(source, filename) {
  esbuild ??= require('esbuild');
  try {
    return esbuild.transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
    }).code;
  } catch (error) {
    const first = error.errors && error.errors[0];
    const where = first && first.location ? `${filename}:${first.location.line}:${first.location.column + 1}` : filename;
    throw new Error(`Cannot load ${where}: ${first ? first.text : error.message}`);
  }
}

function cachedTransform(source, filename) {
  const key = crypto.createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const code = transform(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      // Batch worker threads share the process id: the thread id keeps their temporary files apart.
      const temporary = `${cached}.${process.pid}.${require('node:worker_threads').threadId}.tmp`;
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, cached);
    } catch {
      // A read-only install still works, only slower.
    }
    return code;
  }
}

function compileTypeScript(module, filename) {
  module._compile(cachedTransform(fs.readFileSync(filename, 'utf8'), filename), filename);
}

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = compileTypeScript;
  require.extensions['.tsx'] = compileTypeScript;
}

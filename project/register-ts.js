'use strict';
// Lets Node require() TypeScript sources (ours and a team's pipeline, component, config and test
// files) through esbuild, with inline source maps so stack traces, and therefore error file:line,
// point at the .ts source. The kfp-ts CLI loads it, and a team's `node --require kfp-ts/register`.
// It lives in project/ (the loader of a team project's files) so that cli/ and project/ can both
// load it without reaching upward. Each esbuild call from synchronous code costs a round trip to
// its service process, so outputs are cached on disk by content hash: a warm start transforms nothing.
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
  // One folder per user: another user's cached transforms in a shared /tmp must not be loaded.
  const os = require('node:os');
  return path.join(os.tmpdir(), `kfp-ts-transform-${os.userInfo().uid}`);
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
    const first = error.errors?.[0];
    const where = first?.location ? `${filename}:${first.location.line}:${first.location.column + 1}` : filename;
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

// Marks our handler, across copies of this file (the repository's and an installed dist's, two
// installs of kfp-ts): loading a second copy keeps the first one's handler, so this is idempotent.
const ours = Symbol.for('kfp-ts.register-ts');
compileTypeScript[ours] = true;

// Ours always wins over a handler that is not ours. Newer Node (22.18+, 23.6+) registers its own
// type-stripping loader for .ts, and another hook may have been loaded first; a team's files would
// then load only as far as that loader goes (Node's strips types but transforms no enums,
// namespaces or parameter properties and reads no .tsx), and not through the transform the rest of
// kfp-ts expects (CommonJS output, inline source maps for file:line in errors, the disk cache).
for (const extension of ['.ts', '.tsx']) {
  const current = require.extensions[extension];
  if (!current?.[ours]) require.extensions[extension] = compileTypeScript;
}

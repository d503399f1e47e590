// Prints the node_modules folders that the GPU bench and the demo (npm run demo) need at run time: the dependency closure of
// the packages it loads, from each package.json (dependencies and installed optional ones).
const fs = require('node:fs');
const path = require('node:path');

const ROOTS = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  'webgpu',
  'sharp',
  'esbuild',
  'better-sqlite3',
  'js-yaml',
  'ajv',
  '@node-rs/crc32',
];
const root = path.resolve(__dirname, '../..');
const seen = new Set();

function locate(name, from) {
  // Node's resolution: the nearest node_modules/<name> walking up from the requiring package.
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return undefined;
  }
}

function visit(name, from, optional) {
  const dir = locate(name, from);
  if (dir === undefined) {
    if (optional) return;
    throw new Error(`${name} (needed from ${from}) is not installed`);
  }
  if (seen.has(dir)) return;
  seen.add(dir);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, false);
  for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, dir, true);
}

for (const name of ROOTS) visit(name, root, false);
for (const dir of [...seen].sort()) console.log(path.relative(root, dir));

'use strict';
// Builds the published package into dist/: CommonJS with .d.ts for Node and TypeScript users, and
// under dist/esm the modules a step bundle may reach, as ES modules for esbuild to tree-shake (see
// compiler/step-packaging/bundle-source.ts). Run by `npm run build` and before `npm pack`.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const tsc = require.resolve('typescript/bin/tsc');

fs.rmSync(dist, { recursive: true, force: true });
for (const config of ['tsconfig.cjs.json', 'tsconfig.esm.json']) {
  execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, config)], { cwd: root, stdio: 'inherit' });
}
// Plain JavaScript Node loads as it is: the executable, and the TypeScript hook for a team's files
// (what the CLI loads them with, and `kfp-ts/register` for `node --require`).
for (const file of ['cli/bin/kfp-ts.js', 'project/register-ts.js']) {
  fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
  fs.copyFileSync(path.join(root, file), path.join(dist, file));
}
fs.chmodSync(path.join(dist, 'cli/bin/kfp-ts.js'), 0o755);
// The viewer's page (`kfp-ts ui`), bundled now so an installed package needs neither its sources nor
// their devDependencies (dagre) at run time; viewer/server/web-bundle.ts reads it from here.
execFileSync(
  process.execPath,
  [
    '-r',
    path.join(root, 'project/register-ts.js'),
    '-e',
    `require(${JSON.stringify(path.join(root, 'viewer/server/web-bundle.ts'))}).writePrebuiltBundle(${JSON.stringify(path.join(dist, 'viewer'))})`,
  ],
  { cwd: root, stdio: 'inherit' },
);

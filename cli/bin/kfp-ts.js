#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The folder of the kfp-ts package this file belongs to (a checkout, or node_modules/kfp-ts). */
function ownPackageRoot() {
  for (let folder = __dirname; path.dirname(folder) !== folder; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'kfp-ts') return folder;
  }
  return undefined;
}

/**
 * The executable of the kfp-ts that the project in the working directory depends on, when that is
 * another copy than this one (this one run by `npx --package`, or installed globally). The DSL keeps
 * its state per installed copy, so a pipeline that imports the project's kfp-ts must be compiled by
 * that copy; like eslint or jest, the project's own version wins.
 */
function projectCopy() {
  let manifest;
  try {
    // Resolved as a module of the working directory would resolve it: from here, Node would take
    // this package's own name as a reference to itself.
    manifest = require('node:module').createRequire(path.join(process.cwd(), 'kfp-ts-cli.js')).resolve('kfp-ts/package.json');
  } catch {
    return undefined;
  }
  const own = ownPackageRoot();
  const theirs = path.dirname(manifest);
  if (own !== undefined && fs.realpathSync(own) === fs.realpathSync(theirs)) return undefined;
  const bin = JSON.parse(fs.readFileSync(manifest, 'utf8')).bin;
  const file = path.join(theirs, typeof bin === 'string' ? bin : bin?.['kfp-ts'] || '');
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
}

const handOff = projectCopy();
if (handOff !== undefined) {
  require(handOff);
} else {
  require('../../project/register-ts');
  require('../main')
    .main(process.argv.slice(2))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        process.stderr.write(`kfp-ts: internal error: ${error?.stack ? error.stack : error}\n`);
        process.exitCode = 70;
      },
    );
}

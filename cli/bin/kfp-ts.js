#!/usr/bin/env node
'use strict';
require('../../project/register-ts');
require('../main').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`kfp-ts: internal error: ${error && error.stack ? error.stack : error}\n`); process.exitCode = 70; },
);

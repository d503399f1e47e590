#!/usr/bin/env node
'use strict';
// kfp-ts-classifier-server: the image classifier's serving command (the demo pipeline's
// containerSpec command, the serving image's entrypoint, and what the local ModelDeployOp stand-in
// runs): serves the bundle in AIP_STORAGE_URI on AIP_HTTP_PORT until SIGTERM, as Vertex stops a
// container. Plain JavaScript, so Node starts it as it is: it installs the repository's esbuild
// require hook, then loads the TypeScript server.
require('../../../../project/register-ts.js');
const { serveFromEnvironment } = require('../serve-from-environment.ts');

const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
serveFromEnvironment(process.env, log).then(
  (server) => {
    const stop = (signal) => {
      log(`stopping: ${signal}`);
      server.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error) => {
    process.stderr.write(`kfp-ts-classifier-server: ${error?.message ? error.message : error}\n`);
    process.exit(1);
  },
);

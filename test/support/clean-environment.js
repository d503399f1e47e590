'use strict';
/**
 * Removes every KFP_TS_* variable, so that no test depends on the environment of whoever runs jest
 * (KFP_TS_DEBUG adds stacks to CLI errors, KFP_TS_CRC32C changes the CRC32C implementation,
 * KFP_TS_IMAGE_* change image references, …). A test that needs one sets it itself.
 *
 * jest.config.js loads this file twice:
 * - as `globalSetup`, in the jest process before it starts its workers: its own process.env, which
 *   the workers inherit, and so every process a test spawns without an explicit `env` (child
 *   processes and worker threads take the real process.env, not the test file's copy);
 * - as a setup file, before each test file: that file's own copy of process.env (jest gives each
 *   test file one, copied from its worker's), so a test file starts clean even where the global
 *   setup did not run in the process that hosts it.
 */
const PREFIX = 'KFP_TS_';

function removeKfpTsVariables(env) {
  for (const name of Object.keys(env)) {
    if (name.startsWith(PREFIX)) delete env[name];
  }
}

removeKfpTsVariables(process.env);

module.exports = function globalSetup() {
  removeKfpTsVariables(process.env);
};
module.exports.removeKfpTsVariables = removeKfpTsVariables;

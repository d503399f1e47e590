'use strict';
// The file a batch worker thread starts from. A worker thread gets none of its parent's module
// loaders (neither jest's transform nor the hook that `node cli/bin/kfp-ts.js` and `node -r
// ./project/register-ts.js` install), so it installs the repository's own esbuild require hook and then
// loads the TypeScript worker body. Plain JavaScript, so Node can start it as it is.
require('../../../project/register-ts.js');
require('./batch-worker.ts');

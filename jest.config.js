'use strict';
/**
 * Three jest projects, so the fast tests can run on their own (`npm run test:unit`, seconds) and
 * `npm test` still runs everything:
 *
 * - unit: every test file under test/ that is NOT listed below. In-process and quick: the compiler,
 *   DSL, IR validation, parsers, YAML, small runner and serving units, the CLI's commands called in
 *   process on small inputs.
 * - integration: the files in INTEGRATION. List a test file there when it does any of: spawns a
 *   process (child_process, the `kfp-ts` bin, worker threads), runs a pipeline on the local runner
 *   (its tasks are processes), starts a server (HTTP, the gRPC Vertex emulator, a model server, the
 *   fake GCS server), loads tfjs (training, inference, model export), runs CLI commands end to end
 *   on pipeline files (`main(['compile', …])`), bundles steps with esbuild, compiles the image
 *   classifier, every conformance golden or the type tests (TypeScript compiler API), fuzzes,
 *   fits on large synthetic samples or writes large files: anything that takes more than about a
 *   second on a quiet machine. The unit project must stay under 30 s on two cores.
 * - browser: the files in BROWSER, those that launch Chromium.
 *
 * The rule is this list, not file names, so that files need not move when what they do changes.
 * test/package/test-projects.test.ts fails when a listed file does not exist, when a file is listed
 * twice, or when any test file would be in no project or in two.
 */

/** Test files that leave the process or take long (the rule above); sorted. */
const INTEGRATION = [
  'test/bench/fashion-mnist/quantized-exports.test.ts',
  'test/cli/bin-hand-off.test.ts',
  'test/cli/build.test.ts',
  'test/cli/compile.test.ts',
  'test/cli/error-reporting.test.ts',
  'test/cli/experiments-and-history.test.ts',
  'test/cli/run-and-history.test.ts',
  'test/cli/run-cancel.test.ts',
  'test/cli/run-project-steps.test.ts',
  'test/cli/serve.test.ts',
  'test/cli/ui.test.ts',
  'test/compiler/dsl/source-location.test.ts',
  'test/compiler/dsl/typed-wrapper.test.ts',
  'test/compiler/ir/ir-fuzzer.test.ts',
  'test/compiler/step-packaging/lightweight-step-on-stock-node.test.ts',
  'test/compiler/step-packaging/step-bundle.test.ts',
  'test/compiler/step-packaging/step-container.test.ts',
  'test/components/image-classifier/demo-data/make-demo-image-set.test.ts',
  'test/components/image-classifier/evaluate/component.test.ts',
  'test/components/image-classifier/evaluate/predict-split.test.ts',
  'test/components/image-classifier/evaluate/temperature-scaling.test.ts',
  'test/components/image-classifier/evaluate/thresholds.test.ts',
  'test/components/image-classifier/export/component.test.ts',
  'test/components/image-classifier/export/float16.test.ts',
  'test/components/image-classifier/export/quantized-model-folder.test.ts',
  'test/components/image-classifier/export/uint8-affine.test.ts',
  'test/components/image-classifier/lib/storage/file-sink.test.ts',
  'test/components/image-classifier/lib/storage/gcs-reader.test.ts',
  'test/components/image-classifier/lib/storage/local-reader.test.ts',
  'test/components/image-classifier/lib/tensorboard/log-dir.test.ts',
  'test/components/image-classifier/lib/tfrecord/round-trip.test.ts',
  'test/components/image-classifier/lib/tfrecord/tfrecord-reader.test.ts',
  'test/components/image-classifier/prediction-server/prediction-server.test.ts',
  'test/components/image-classifier/prediction-server/serve-from-environment.test.ts',
  'test/components/image-classifier/preprocess/hamming-index.test.ts',
  'test/components/image-classifier/preprocess/planted-near-duplicates.test.ts',
  'test/components/image-classifier/preprocess/preprocess-gcs.test.ts',
  'test/components/image-classifier/preprocess/preprocess.test.ts',
  'test/components/image-classifier/preprocess/special-files.test.ts',
  'test/components/image-classifier/train/adamw.test.ts',
  'test/components/image-classifier/train/architectures/architecture.test.ts',
  'test/components/image-classifier/train/backends/backend-choice.test.ts',
  'test/components/image-classifier/train/backends/dawn.test.ts',
  'test/components/image-classifier/train/backends/webgpu-backend.test.ts',
  'test/components/image-classifier/train/batch-worker-pool.test.ts',
  'test/components/image-classifier/train/component.test.ts',
  'test/components/image-classifier/train/fine-tune-component.test.ts',
  'test/components/image-classifier/train/fine-tune.test.ts',
  'test/components/image-classifier/train/gpu-kernels/im2col-filter-gradient.test.ts',
  'test/components/image-classifier/train/image-pipeline.test.ts',
  'test/components/image-classifier/train/input-overlap.test.ts',
  'test/components/image-classifier/train/model-files.test.ts',
  'test/components/image-classifier/train/train-classifier.test.ts',
  'test/components/image-classifier/train/train-with-workers.test.ts',
  'test/components/image-classifier/train/training-recipe.test.ts',
  'test/components/image-classifier/train/wasm-gradients/conv2d-gradients.test.ts',
  'test/components/image-classifier/train/wasm-gradients/depthwise-gradients.test.ts',
  'test/components/image-classifier/train/wasm-gradients/max-pool-grad.test.ts',
  'test/components/image-classifier/train/wasm-gradients/register.test.ts',
  'test/components/image-classifier/train/wasm-gradients/small-cnn-training.test.ts',
  'test/components/image-classifier/train/wasm-gradients/untransposed-batch-mat-mul.test.ts',
  'test/conformance/conformance.test.ts',
  'test/containers/cloudbuild-steps.test.ts',
  'test/containers/dockerfiles.test.ts',
  'test/containers/images.test.ts',
  'test/containers/serving-contract.test.ts',
  'test/containers/train-accelerator.test.ts',
  'test/package/clean-environment.test.ts',
  'test/package/environment-independence.test.ts',
  'test/package/installed-package.test.ts',
  'test/pipelines/image-classifier.test.ts',
  'test/pipelines/pipelines.test.ts',
  'test/project/register-ts.test.ts',
  'test/project/scaffold/scaffold-typecheck.test.ts',
  'test/runner/cancel.test.ts',
  'test/runner/contained-paths.test.ts',
  'test/runner/crash-and-concurrency.test.ts',
  'test/runner/dag-executor.test.ts',
  'test/runner/executor/run-container.test.ts',
  'test/runner/experiments.test.ts',
  'test/runner/function-components.test.ts',
  'test/runner/lineage-store.test.ts',
  'test/runner/local-launcher-limits.test.ts',
  'test/runner/local-launchers.test.ts',
  'test/runner/mlmd/concurrent-writers.test.ts',
  'test/runner/run-lock.test.ts',
  'test/runner/run-pipeline.test.ts',
  'test/serving/deploy-any-model.test.ts',
  'test/serving/detached-server.test.ts',
  'test/serving/endpoint-server/endpoint-server.test.ts',
  'test/serving/endpoint-server/predict-proxy.test.ts',
  'test/serving/gcpc-local-run.test.ts',
  'test/serving/model-server/model-process.test.ts',
  'test/serving/registry-concurrency.test.ts',
  'test/types/expect-type-error.test.ts',
  'test/vertex/cli/submit-and-jobs.test.ts',
  'test/vertex/cli/submit-experiment.test.ts',
  'test/vertex/emulator/cancel-local-run.test.ts',
  'test/vertex/emulator/emulator-exposure.test.ts',
  'test/vertex/emulator/local-launchers.test.ts',
  'test/vertex/emulator/pipeline-service-emulator.test.ts',
  'test/vertex/pipeline-jobs.test.ts',
  'test/viewer/read-only-store.test.ts',
  'test/viewer/viewer-server.test.ts',
];

/** Test files that launch Chromium. */
const BROWSER = ['test/viewer/viewer-browser.test.ts'];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (files) => files.map((file) => `^<rootDir>/${escapeRegExp(file)}$`);
const IGNORED = ['/node_modules/', '/test/conformance/out/'];

/** What every project shares. */
const base = {
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-transform.js' },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  // Tests must not depend on the KFP_TS_* variables of whoever runs them (see the file).
  globalSetup: '<rootDir>/test/support/clean-environment.js',
  setupFiles: ['<rootDir>/test/support/clean-environment.js'],
};

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [...IGNORED, ...exactly([...INTEGRATION, ...BROWSER])],
    },
    { ...base, displayName: 'integration', testMatch: INTEGRATION.map((file) => `<rootDir>/${file}`), testPathIgnorePatterns: IGNORED },
    { ...base, displayName: 'browser', testMatch: BROWSER.map((file) => `<rootDir>/${file}`), testPathIgnorePatterns: IGNORED },
  ],
};

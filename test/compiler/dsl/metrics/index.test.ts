// The metrics helpers are bundled into lightweight steps that run on a stock Node image (or any JS
// runtime): compiler/dsl/metrics must bundle with no Node.js or npm imports.
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import * as metrics from '../../../../compiler/dsl/metrics';

const root = path.resolve(__dirname, '../../../..');

test('bundles for a neutral platform with nothing external: no node: builtins, no packages, no require()', () => {
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ['compiler/dsl/metrics/index.ts'],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  // Besides the helpers, only the error base class and the value wording (plain TypeScript, no imports of their own).
  expect(inputs.filter((file) => !file.startsWith('compiler/dsl/metrics/'))).toEqual([
    'compiler/errors/kfp-ts-error.ts',
    'compiler/util/describe-value.ts',
  ]);
  const code = result.outputFiles[0]!.text;
  expect(code).not.toMatch(/\brequire\(|from ["']node:/);
  expect(code.length).toBeLessThan(40_000);
});

test('exports the writers, the checkers and the error class (types are erased)', () => {
  expect(Object.keys(metrics).sort()).toEqual([
    'MetricsError',
    'classificationMetricsOf',
    'classificationMetricsProblems',
    'metricsOf',
    'slicedClassificationMetricsOf',
    'slicedClassificationMetricsProblems',
  ]);
});

/**
 * Tests, and the goldens they compare against, do not change with the KFP_TS_* variables of the
 * shell that runs jest: this runs the golden tests in two jests of their own, one with such
 * variables set (each changes some output when code reads it: stacks in CLI errors, the CRC32C
 * implementation, image references) and one without, and expects the same result for every test.
 * Comparing the two runs, rather than expecting all to pass, keeps this test about the environment
 * while a golden is being updated.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

const SHELL_VARIABLES = {
  KFP_TS_DEBUG: '1',
  KFP_TS_CRC32C: 'typescript',
  KFP_TS_IMAGE_REGISTRY: 'us-central1-docker.pkg.dev/someone-else/images',
  KFP_TS_IMAGE_TAG: 'not-this-commit',
  KFP_TS_COMPONENT_IMAGE: 'gcr.io/someone-else/components:v9',
};

const GOLDEN_TESTS = [
  'test/package/clean-environment.test.ts',
  'test/pipelines/pipelines.test.ts',
  'test/compiler/yaml/golden-round-trip.test.ts',
  'test/containers/images.test.ts',
];

interface JestJson {
  readonly testResults: readonly {
    readonly name: string;
    readonly assertionResults: readonly { readonly fullName: string; readonly status: string }[];
  }[];
}

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-env-independence-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

/** Each test's status, by file and name, in a jest run with `variables` added to the environment. */
function outcomes(label: string, variables: Record<string, string>): Record<string, string> {
  const outputFile = path.join(workspace, `${label}.json`);
  const jest = path.join(root, 'node_modules/jest/bin/jest.js');
  const run = spawnSync(
    process.execPath,
    [jest, '--ci', '--maxWorkers=1', '--json', `--outputFile=${outputFile}`, '--runTestsByPath', ...GOLDEN_TESTS],
    {
      cwd: root,
      encoding: 'utf8',
      // REGENERATE_GOLDENS would rewrite the goldens instead of comparing them.
      env: { ...process.env, ...variables, REGENERATE_GOLDENS: '', CI: 'true' },
      timeout: 280_000,
    },
  );
  if (run.error) throw run.error;
  if (!fs.existsSync(outputFile)) throw new Error(`jest (${label}) wrote no results (exit ${run.status}):\n${run.stderr.slice(-3000)}`);
  const results = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson;
  return Object.fromEntries(
    results.testResults.flatMap((file) =>
      file.assertionResults.map((test) => [`${path.relative(root, file.name)} › ${test.fullName}`, test.status]),
    ),
  );
}

it('gives every golden test the same result with KFP_TS_DEBUG, KFP_TS_CRC32C and the KFP_TS_IMAGE_* variables set', () => {
  const clean = outcomes('clean', {});
  const dirty = outcomes('with-variables', SHELL_VARIABLES);
  expect(Object.keys(clean).length).toBeGreaterThan(100);
  expect(dirty).toEqual(clean);
  // The cleaning itself, seen from inside the run with the variables set.
  const cleaning = Object.entries(dirty).filter(([name]) => name.startsWith('test/package/clean-environment.test.ts'));
  expect(cleaning.length).toBe(3);
  expect(cleaning.every(([, status]) => status === 'passed')).toBe(true);
}, 600_000);

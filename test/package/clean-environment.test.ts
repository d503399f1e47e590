/**
 * What jest.config.js's clean-environment setup promises: no KFP_TS_* variable of whoever runs jest
 * reaches a test file, nor a process it spawns without an explicit `env`. Passes trivially in a
 * clean shell; test/package/environment-independence.test.ts runs it with such variables set.
 */
import { spawnSync } from 'node:child_process';

const kfpTsNames = (env: NodeJS.ProcessEnv) => Object.keys(env).filter((name) => name.startsWith('KFP_TS_'));

it('gives the test file a process.env without KFP_TS_* variables', () => {
  expect(kfpTsNames(process.env)).toEqual([]);
});

it('gives a child process spawned without `env` none either', () => {
  const child = spawnSync(
    process.execPath,
    ['-e', "process.stdout.write(JSON.stringify(Object.keys(process.env).filter((n) => n.startsWith('KFP_TS_'))))"],
    { encoding: 'utf8' },
  );
  expect(child.status).toBe(0);
  expect(JSON.parse(child.stdout)).toEqual([]);
});

it('leaves a variable a test sets itself to that test', () => {
  process.env['KFP_TS_DEBUG'] = '1';
  try {
    expect(kfpTsNames(process.env)).toEqual(['KFP_TS_DEBUG']);
  } finally {
    delete process.env['KFP_TS_DEBUG'];
  }
});

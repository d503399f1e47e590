/**
 * The scaffolded TypeScript type-checks against this checkout's sources: tsc from the repository,
 * with `paths` standing in for the installed package's entry points. (The installed-package test
 * checks it against the published .d.ts, with the project's own tsconfig.) Only diagnostics in the
 * scaffolded files count: this checkout's own sources are checked by `npm run typecheck`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initProject } from '../../../project/init-project';

const root = path.resolve(__dirname, '../../..');

jest.setTimeout(180_000);

test('the scaffolded components, pipeline, tests and configuration type-check under strict settings', () => {
  const folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-scaffold-tsc-')), 'project');
  initProject({ folder });
  const check = {
    extends: './tsconfig.json',
    compilerOptions: {
      // The sources are not a package with an exports map: classic node resolution over `paths`.
      module: 'commonjs',
      moduleResolution: 'node',
      resolveJsonModule: true,
      skipLibCheck: true,
      typeRoots: [path.join(root, 'node_modules', '@types')],
      paths: {
        'kfp-ts': [path.join(root, 'compiler/index.ts')],
        'kfp-ts/config': [path.join(root, 'project/index.ts')],
        'kfp-ts/testing': [path.join(root, 'testing/index.ts')],
      },
    },
  };
  fs.writeFileSync(path.join(folder, 'tsconfig.check.json'), JSON.stringify(check));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.check.json', '--pretty', 'false'], {
    cwd: folder,
    encoding: 'utf8',
  });
  const diagnostics = tsc.stdout.split('\n').filter((line) => /^[^\s.].*\(\d+,\d+\): error/.test(line));
  expect(diagnostics).toEqual([]);
  // Sanity: a mistake in a scaffolded file is caught.
  fs.appendFileSync(path.join(folder, 'components', 'word-count.ts'), "\nexport const wrong: number = 'text';\n");
  const failing = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.check.json', '--pretty', 'false'], {
    cwd: folder,
    encoding: 'utf8',
  });
  expect(failing.stdout).toMatch(/^components\/word-count\.ts\(\d+,\d+\): error TS2322/m);
});

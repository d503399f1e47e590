/**
 * The `kfp-ts` executable hands over to the kfp-ts the project in the working directory depends on
 * when that is another copy (this one run by `npx --package` or installed globally): the DSL's
 * state belongs to one copy, so the copy the pipeline imports must compile it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = path.resolve(__dirname, '../../cli/bin/kfp-ts.js');

it("runs the project's own kfp-ts, with the same arguments", () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-hand-off-'));
  try {
    const copy = path.join(project, 'node_modules', 'kfp-ts');
    fs.mkdirSync(path.join(copy, 'dist'), { recursive: true });
    fs.writeFileSync(
      path.join(copy, 'package.json'),
      JSON.stringify({
        name: 'kfp-ts',
        version: '9.9.9',
        bin: { 'kfp-ts': 'dist/cli.js' },
        exports: { './package.json': './package.json' },
      }),
    );
    fs.writeFileSync(path.join(copy, 'dist', 'cli.js'), "process.stdout.write('project copy: ' + process.argv.slice(2).join(' '));\n");
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'team', dependencies: { 'kfp-ts': '9.9.9' } }));
    const run = spawnSync(process.execPath, [bin, 'compile', 'pipelines/p.ts'], { cwd: project, encoding: 'utf8' });
    expect(run.stdout).toBe('project copy: compile pipelines/p.ts');
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});

it('runs itself where the project has no kfp-ts of its own', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-no-copy-'));
  try {
    const run = spawnSync(process.execPath, [bin, '--help'], { cwd: folder, encoding: 'utf8' });
    expect(run.stdout).toMatch(/^Usage: kfp-ts <command>/);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

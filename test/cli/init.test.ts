import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';

async function kfpTs(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('kfp-ts init', () => {
  it('makes a project in the given folder and says what it wrote and what to do next', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-init-cli-'));
    const { code, stdout, stderr } = await kfpTs(cwd, 'init', 'my-pipelines');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      "Made kfp-ts project 'my-pipelines' in my-pipelines",
      '  + package.json',
      '  + tsconfig.json',
    ]);
    expect(stdout).toContain('\nNext: cd my-pipelines && npm install && npm test && npm run run\n');
    expect(fs.existsSync(path.join(cwd, 'my-pipelines', 'pipelines', 'pipeline.ts'))).toBe(true);
  });

  it('defaults to the working directory, and takes --name and --kfp-ts-spec', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-init-cli-'));
    fs.writeFileSync(path.join(parent, 'kfp-ts.tgz'), 'packed');
    const cwd = path.join(parent, 'project');
    fs.mkdirSync(cwd);
    const { code, stdout } = await kfpTs(cwd, 'init', '--name', 'words', '--kfp-ts-spec', 'file:../kfp-ts.tgz');
    expect(code).toBe(0);
    expect(stdout).toContain("Made kfp-ts project 'words' in .\n");
    expect(stdout).toContain('\nNext: npm install && npm test && npm run run\n');
    // The tarball, found relative to where the command ran, is copied into the project.
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8'))).toMatchObject({
      name: 'words',
      dependencies: { 'kfp-ts': 'file:vendor/kfp-ts.tgz' },
    });
    expect(fs.readFileSync(path.join(cwd, 'vendor', 'kfp-ts.tgz'), 'utf8')).toBe('packed');
  });

  it('refuses a folder with files (exit 1), and with --force keeps the existing ones', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-init-cli-'));
    fs.writeFileSync(path.join(cwd, 'README.md'), 'ours');
    const refused = await kfpTs(cwd, 'init');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^kfp-ts init: .* is not empty \(README\.md\); init a new folder, or pass --force/);
    expect(fs.readdirSync(cwd)).toEqual(['README.md']);
    const forced = await kfpTs(cwd, 'init', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('  = README.md (exists; left as it is)\n');
    expect(fs.readFileSync(path.join(cwd, 'README.md'), 'utf8')).toBe('ours');
  });

  it('reports usage mistakes with exit code 2', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-init-cli-'));
    expect((await kfpTs(cwd, 'init', 'a', 'b')).code).toBe(2);
    expect((await kfpTs(cwd, 'init', '--nme', 'x')).stderr).toContain('unknown option --nme');
  });
});

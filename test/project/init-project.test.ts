import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kfpTsVersion } from '../../compiler/util/package-paths';
import { InitError, initProject } from '../../project/init-project';

const FILES = [
  'package.json',
  'tsconfig.json',
  'kfp-ts.config.ts',
  'components/word-count.ts',
  'components/word-report.ts',
  'pipelines/pipeline.ts',
  'test/steps.test.ts',
  'test/pipeline.test.ts',
  'Dockerfile',
  '.dockerignore',
  '.gitignore',
  'cloudbuild.yaml',
  'README.md',
];

const tempFolder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-init-'));
const manifestOf = (folder: string) => JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as Record<string, any>;

/** Every file under `folder`, relative, sorted. */
function filesUnder(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((entry) => fs.statSync(path.join(folder, entry)).isFile())
    .map((entry) => entry.split(path.sep).join('/'))
    .sort();
}

describe('initProject', () => {
  it('writes every file of a new project into a missing folder, named after the folder', () => {
    const folder = path.join(tempFolder(), 'Word Counts!');
    const result = initProject({ folder });
    expect(result).toEqual({ name: 'word-counts', written: FILES, kept: [] });
    expect(filesUnder(folder)).toEqual([...FILES].sort());
    expect(manifestOf(folder)['name']).toBe('word-counts');
    expect(manifestOf(folder)['dependencies']).toEqual({ 'kfp-ts': `^${kfpTsVersion()}` });
  });

  it('takes --name and --kfp-ts-spec', () => {
    const folder = tempFolder();
    initProject({ folder, name: '@team/pipelines', kfpTsSpec: 'github:acme/kfp-ts#v0.1.0' });
    expect(manifestOf(folder)).toMatchObject({ name: '@team/pipelines', dependencies: { 'kfp-ts': 'github:acme/kfp-ts#v0.1.0' } });
    expect(() => initProject({ folder: tempFolder(), name: 'Not Valid' })).toThrow(
      "--name 'Not Valid' is not a valid npm package name; e.g. 'not-valid'",
    );
  });

  it('copies a packed kfp-ts given as file:….tgz into vendor/, which the image installs from', () => {
    const tarball = path.join(tempFolder(), 'kfp-ts-0.1.0.tgz');
    fs.writeFileSync(tarball, 'packed');
    const folder = tempFolder();
    initProject({ folder, kfpTsSpec: `file:${tarball}` });
    expect(manifestOf(folder)['dependencies']).toEqual({ 'kfp-ts': 'file:vendor/kfp-ts-0.1.0.tgz' });
    expect(fs.readFileSync(path.join(folder, 'vendor', 'kfp-ts-0.1.0.tgz'), 'utf8')).toBe('packed');
    expect(fs.readFileSync(path.join(folder, 'Dockerfile'), 'utf8')).toContain(
      'COPY package.json package-lock.json ./\nCOPY vendor ./vendor\nRUN npm ci',
    );
    expect(() => initProject({ folder: tempFolder(), kfpTsSpec: 'file:/nowhere/kfp-ts-0.1.0.tgz' })).toThrow(
      '--kfp-ts-spec file:/nowhere/kfp-ts-0.1.0.tgz: no such file',
    );
  });

  it('says which folder it cannot make, without a stack trace', () => {
    const file = path.join(tempFolder(), 'a-file');
    fs.writeFileSync(file, '');
    expect(() => initProject({ folder: path.join(file, 'sub') })).toThrow(InitError);
    expect(() => initProject({ folder: path.join(file, 'sub') })).toThrow(
      /^cannot make .*a-file\/sub: .*; choose a folder you can write to$/,
    );
  });

  it('refuses a folder with files in it, writing nothing', () => {
    const folder = tempFolder();
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    expect(() => initProject({ folder })).toThrow(InitError);
    expect(() => initProject({ folder })).toThrow(/is not empty \(notes\.txt\); init a new folder, or pass --force/);
    expect(filesUnder(folder)).toEqual(['notes.txt']);
  });

  it('takes a fresh git clone (only .git) as empty', () => {
    const folder = tempFolder();
    fs.mkdirSync(path.join(folder, '.git'));
    expect(initProject({ folder }).written).toEqual(FILES);
  });

  it('with force, adds the missing files and never overwrites an existing one', () => {
    const folder = tempFolder();
    fs.writeFileSync(path.join(folder, 'README.md'), 'our readme');
    fs.mkdirSync(path.join(folder, 'components'));
    fs.writeFileSync(path.join(folder, 'components', 'word-count.ts'), '// ours');
    const result = initProject({ folder, force: true });
    expect(result.kept).toEqual(['components/word-count.ts', 'README.md']);
    expect(result.written).toEqual(FILES.filter((file) => !result.kept.includes(file)));
    expect(fs.readFileSync(path.join(folder, 'README.md'), 'utf8')).toBe('our readme');
    expect(fs.readFileSync(path.join(folder, 'components', 'word-count.ts'), 'utf8')).toBe('// ours');
    // Again: everything exists now, nothing is written.
    expect(initProject({ folder, force: true })).toMatchObject({ written: [], kept: FILES });
  });

  it('refuses a path that is a file', () => {
    const file = path.join(tempFolder(), 'a-file');
    fs.writeFileSync(file, '');
    expect(() => initProject({ folder: file, force: true })).toThrow(`${file} is a file, not a folder`);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contextFiles, imageContentTag } from '../../project/image-hash';

/** A build context with a Dockerfile, a .dockerignore and a few files. */
function context(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-image-hash-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), text);
  };
  write('Dockerfile', 'FROM node:20-slim\nCOPY . .\n');
  write('.dockerignore', 'build\n*.md\n!KEEP.md\n');
  write('package.json', '{"name":"p"}');
  write('components/step.ts', 'export const a = 1;\n');
  write('README.md', 'docs\n');
  write('build/pipeline.json', '{}');
  write('node_modules/x/index.js', 'module.exports = 1;');
  return folder;
}

const tagOf = (folder: string) => imageContentTag(folder, path.join(folder, 'Dockerfile'));

describe('imageContentTag', () => {
  it('is src- and 20 hex digits, the same for the same files', () => {
    const a = context();
    const b = context();
    expect(tagOf(a)).toMatch(/^src-[0-9a-f]{20}$/);
    expect(tagOf(a)).toBe(tagOf(b));
  });

  it('changes when a file of the context changes, is added, or becomes executable', () => {
    const folder = context();
    const before = tagOf(folder);
    fs.writeFileSync(path.join(folder, 'components/step.ts'), 'export const a = 2;\n');
    const edited = tagOf(folder);
    expect(edited).not.toBe(before);
    fs.writeFileSync(path.join(folder, 'components/other.ts'), '');
    const added = tagOf(folder);
    expect(added).not.toBe(edited);
    fs.chmodSync(path.join(folder, 'components/other.ts'), 0o755);
    expect(tagOf(folder)).not.toBe(added);
  });

  it('changes with the Dockerfile', () => {
    const folder = context();
    const before = tagOf(folder);
    fs.appendFileSync(path.join(folder, 'Dockerfile'), 'ENV A=1\n');
    expect(tagOf(folder)).not.toBe(before);
  });

  it('does not change for files .dockerignore leaves out, nor for node_modules', () => {
    const folder = context();
    const before = tagOf(folder);
    fs.writeFileSync(path.join(folder, 'README.md'), 'other docs\n');
    fs.writeFileSync(path.join(folder, 'build/pipeline.json'), '{"changed":true}');
    fs.writeFileSync(path.join(folder, 'node_modules/x/index.js'), 'module.exports = 2;');
    expect(tagOf(folder)).toBe(before);
    // A `!` pattern takes the file back in.
    fs.writeFileSync(path.join(folder, 'KEEP.md'), 'kept\n');
    expect(tagOf(folder)).not.toBe(before);
  });

  it('hashes exactly the files the context sends', () => {
    expect(contextFiles(context())).toEqual(['.dockerignore', 'Dockerfile', 'components/step.ts', 'package.json']);
  });
});

describe('contextFiles agrees with what Docker sends', () => {
  /** A bare context holding `files`; a value of `{ link }` makes a symbolic link. */
  function bare(files: Record<string, string | { link: string }>): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-image-hash-'));
    for (const [file, content] of Object.entries(files)) {
      const absolute = path.join(folder, file);
      fs.mkdirSync(path.dirname(absolute), { recursive: true });
      if (typeof content === 'string') fs.writeFileSync(absolute, content);
      else fs.symlinkSync(content.link, absolute);
    }
    return folder;
  }

  it('takes back a file under an excluded folder when a later ! exception names it', () => {
    const folder = bare({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'dist\n!dist/keep.js\n',
      'dist/keep.js': '1',
      'dist/drop.js': '1',
    });
    expect(contextFiles(folder)).toEqual(['.dockerignore', 'Dockerfile', 'dist/keep.js']);
    const before = tagOf(folder);
    fs.writeFileSync(path.join(folder, 'dist/keep.js'), '2');
    expect(tagOf(folder)).not.toBe(before);
  });

  it('walks excluded folders when a glob exception may reach inside them', () => {
    const folder = bare({ '.dockerignore': 'out\n!**/*.keep\n', 'out/a/b.keep': '', 'out/a/c.txt': '' });
    expect(contextFiles(folder)).toEqual(['.dockerignore', 'out/a/b.keep']);
  });

  it('applies character classes, escapes and cleaned patterns', () => {
    const folder = bare({
      '.dockerignore': 'log[0-9].txt\nx[^a]\n./tmp//cache/\n/abs\nq\\*\n',
      'log1.txt': '',
      'logx.txt': '',
      xa: '',
      xb: '',
      'tmp/cache/c': '',
      'tmp/other': '',
      abs: '',
      'q*': '',
      qq: '',
    });
    expect(contextFiles(folder)).toEqual(['.dockerignore', 'logx.txt', 'qq', 'tmp/other', 'xa']);
  });

  it('hashes a symbolic link by its text, without following it', () => {
    const folder = bare({
      Dockerfile: 'FROM scratch\n',
      'data/real.txt': 'a',
      'data/other.txt': 'b',
      'current.txt': { link: 'data/real.txt' },
      'elsewhere': { link: '/nonexistent/target' },
    });
    expect(contextFiles(folder)).toEqual(['Dockerfile', 'current.txt', 'data/other.txt', 'data/real.txt', 'elsewhere']);
    const before = tagOf(folder);
    fs.unlinkSync(path.join(folder, 'current.txt'));
    fs.symlinkSync('data/other.txt', path.join(folder, 'current.txt'));
    expect(tagOf(folder)).not.toBe(before);
  });

  it("uses <Dockerfile>.dockerignore beside the Dockerfile in place of the context's .dockerignore", () => {
    const folder = bare({
      '.dockerignore': 'components\n',
      'containers/components/Dockerfile': 'FROM scratch\n',
      'containers/components/Dockerfile.dockerignore': 'docs\n',
      'components/step.ts': '1',
      'docs/notes.md': '',
    });
    const dockerfile = path.join(folder, 'containers/components/Dockerfile');
    expect(contextFiles(folder, dockerfile)).toEqual([
      '.dockerignore',
      'components/step.ts',
      'containers/components/Dockerfile',
      'containers/components/Dockerfile.dockerignore',
    ]);
    const before = imageContentTag(folder, dockerfile);
    fs.writeFileSync(path.join(folder, 'components/step.ts'), '2');
    expect(imageContentTag(folder, dockerfile)).not.toBe(before);
    // Without the Dockerfile, only the context's own file applies.
    expect(contextFiles(folder)).toEqual([
      '.dockerignore',
      'containers/components/Dockerfile',
      'containers/components/Dockerfile.dockerignore',
      'docs/notes.md',
    ]);
  });

  it('gives the same tags when images of one context share what it sends (hashedContexts), and keeps ignore files apart', () => {
    const folder = bare({
      '.dockerignore': 'docs\n',
      'a/Dockerfile': 'FROM scratch\n',
      'b/Dockerfile': 'FROM node:20-slim\n',
      'c/Dockerfile': 'FROM scratch\n',
      'c/Dockerfile.dockerignore': 'a\nb\n',
      'docs/notes.md': '',
    });
    const dockerfiles = ['a', 'b', 'c'].map((name) => path.join(folder, name, 'Dockerfile'));
    const hashedContexts = new Map<string, Buffer>();
    const shared = dockerfiles.map((dockerfile) => imageContentTag(folder, dockerfile, hashedContexts));
    expect(shared).toEqual(dockerfiles.map((dockerfile) => imageContentTag(folder, dockerfile)));
    expect(new Set(shared).size).toBe(3);
    // One entry for the context's .dockerignore (a and b), one for c's own ignore file.
    expect(hashedContexts.size).toBe(2);
  });
});

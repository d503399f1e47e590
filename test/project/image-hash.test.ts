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

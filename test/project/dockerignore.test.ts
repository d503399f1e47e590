import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../project/config-error';
import { DockerIgnore, type ParentMatches, ignoreFileFor } from '../../project/dockerignore';

const parse = (...lines: string[]) => DockerIgnore.parse(lines.join('\n'));

/** The verdict a walk reaches, handing each folder's matches down as BuildKit's fsutil does. */
function walked(ignore: DockerIgnore, file: string): boolean {
  const parts = file.split('/');
  let parent: ParentMatches | undefined;
  for (let depth = 1; depth < parts.length; depth++) parent = ignore.match(parts.slice(0, depth).join('/'), parent).matches;
  return ignore.match(file, parent).ignored;
}

describe('DockerIgnore matching', () => {
  // Cases from moby/patternmatcher's own tests (TestMatches, and filepath.Match's table it borrows).
  it.each<[string, string, boolean]>([
    ['**', 'dir/file', true],
    ['**/', 'file', true],
    ['**/**', 'dir/file', true],
    ['dir/**', 'dir/dir2/file', true],
    ['abc/**', 'abc', false],
    ['**/dir', 'dir/file', true],
    ['**/dir2/*', 'dir/dir2/file', true],
    ['**file', 'dir/dir/file', true],
    ['**/file*.txt*', 'dir/dir/file.txt', true],
    ['**/**/*.txt2', 'dir/dir/file.txt', false],
    ['**/*.txt', 'file.txt', true],
    ['a**/*.txt', 'a/dir/dir/file.txt', true],
    ['a/*.txt', 'a/dir/file.txt', false],
    ['a/*.txt**', 'a/file.txt', true],
    ['**/foo/bar', 'foo/bar', true],
    ['**/.foo', 'bar.foo', false],
    ['.*', 'foo', false],
    ['abc.def', 'abcZdef', false],
    ['abc?def', 'abcZdef', true],
    ['a(b)c/def', 'a(b)c/def', true],
    ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
    ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
    ['a*/b', 'a/c/b', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a?b', 'a/b', false],
    ['a?b', 'a☺b', true],
    ['a???b', 'a☺b', false],
  ])('%s matches %s: %s', (pattern, file, expected) => {
    expect(parse(pattern).ignores(file)).toBe(expected);
    expect(walked(parse(pattern), file)).toBe(expected);
  });

  it.each<[string, string, boolean]>([
    ['a[b-d]e', 'ace', true],
    ['a[b-d]e', 'aae', false],
    ['a[^b-d]e', 'aze', true],
    ['ab[^c]', 'abc', false],
    ['[a-ζ]*', 'α', true],
    ['a[^a]b', 'a☺b', true],
    ['[\\]a]', ']', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    // Go's filepath.Match has no `[!...]`: the "!" is one of the class's characters.
    ['x[!a]', 'x!', true],
    ['x[!a]', 'xb', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a\\\\', 'a\\', true],
    ['\\[x]', '[x]', true],
    ['\\[x]', 'x', false],
  ])('character classes and escapes: %s matches %s: %s', (pattern, file, expected) => {
    expect(parse(pattern).ignores(file)).toBe(expected);
  });

  it.each<[string[], string, boolean]>([
    [['**', '!util/docker/web'], 'util/docker/web/foo', false],
    [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
    [['**', '!dist/*.whl'], 'dist/a.whl', false],
    [['docs', '!docs/README.md'], 'docs/README.md', false],
    [['docs/*', '!docs/README.md'], 'docs/README.md', false],
    [['*.md', '!README*.md', 'README-secret.md'], 'README-secret.md', true],
    [['*.md', 'README-secret.md', '!README*.md'], 'README-secret.md', false],
  ])('%j: the last pattern that matches %s decides (%s)', (patterns, file, expected) => {
    expect(parse(...patterns).ignores(file)).toBe(expected);
    expect(walked(parse(...patterns), file)).toBe(expected);
  });

  it('cleans patterns as Go filepath.Clean does and ignores a leading /', () => {
    const ignore = parse('./a//b/', '/c', 'd/../e', '  !  ./a/b/keep  ');
    expect(ignore.ignores('a/b/x')).toBe(true);
    expect(ignore.ignores('a/b/keep')).toBe(false);
    expect(ignore.ignores('c')).toBe(true);
    expect(ignore.ignores('e')).toBe(true);
    expect(ignore.ignores('d')).toBe(false);
  });

  it('reads comments in the first column only, a byte-order mark and CRLF line ends', () => {
    const ignore = DockerIgnore.parse('\uFEFF# a comment\r\n #kept\r\nbuild\r\n');
    expect(ignore.ignores('build/x')).toBe(true);
    expect(ignore.ignores(' #kept')).toBe(false);
    expect(ignore.ignores('#kept')).toBe(true);
    expect(ignore.ignores('# a comment')).toBe(false);
  });

  it.each(['[', 'a[', '[^bc', '[]a]', '[-x]', '[x-]', '[a-b-c]', '\\', 'x/[z-a]'])(
    'refuses %j, naming the file and line, as Docker does',
    (pattern) => {
      const attempt = () => DockerIgnore.parse(`ok\n${pattern}\n`, 'ctx/.dockerignore');
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`ctx/.dockerignore:2: "${pattern}" is not a valid pattern`);
    },
  );

  it.each(['!', '! ', '!/'])('refuses the bare exception %j', (line) => {
    expect(() => DockerIgnore.parse(line, '.dockerignore')).toThrow(/\.dockerignore:1: .*needs a pattern after the "!"/);
  });
});

describe('DockerIgnore.mayTakeBackInside', () => {
  it('walks an excluded folder that a plain exception reaches into, and only that one', () => {
    const ignore = parse('dist', 'build', '!dist/keep.js');
    expect(ignore.mayTakeBackInside('dist')).toBe(true);
    expect(ignore.mayTakeBackInside('build')).toBe(false);
    expect(parse('dist').mayTakeBackInside('dist')).toBe(false);
  });

  it('walks every excluded folder when an exception is a glob', () => {
    expect(parse('dist', '!**/keep.js').mayTakeBackInside('dist')).toBe(true);
  });
});

describe('ignoreFileFor', () => {
  it("prefers <Dockerfile>.dockerignore beside the Dockerfile to the context's .dockerignore", () => {
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-dockerignore-'));
    const dockerfile = path.join(context, 'containers', 'components', 'Dockerfile');
    fs.mkdirSync(path.dirname(dockerfile), { recursive: true });
    fs.writeFileSync(dockerfile, 'FROM scratch\n');
    expect(ignoreFileFor(context, dockerfile)).toBeUndefined();
    fs.writeFileSync(path.join(context, '.dockerignore'), 'a\n');
    expect(ignoreFileFor(context, dockerfile)).toBe(path.join(context, '.dockerignore'));
    fs.writeFileSync(`${dockerfile}.dockerignore`, 'b\n');
    expect(ignoreFileFor(context, dockerfile)).toBe(`${dockerfile}.dockerignore`);
    expect(ignoreFileFor(context)).toBe(path.join(context, '.dockerignore'));
  });
});

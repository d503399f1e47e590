/**
 * jest.config.js splits the tests into projects (unit, integration, browser) by its lists: every
 * test file must land in exactly one, and every listed file must exist, so a renamed or new test is
 * neither skipped by `npm test` nor run twice. Membership is decided as jest decides it: a path is in
 * a project when one of its testMatch globs matches (jest-util's globsToMatcher, what jest uses) and
 * none of its testPathIgnorePatterns does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globsToMatcher } from 'jest-util';

const root = path.resolve(__dirname, '../..');

interface ProjectConfig {
  readonly displayName: string;
  readonly rootDir: string;
  readonly testMatch: readonly string[];
  readonly testPathIgnorePatterns: readonly string[];
}

// jest.config.js is CommonJS, read as jest reads it.
const config = require(path.join(root, 'jest.config.js')) as { projects: readonly ProjectConfig[] };

function membership(project: ProjectConfig): (file: string) => boolean {
  const withRoot = (text: string) => text.split('<rootDir>').join(project.rootDir);
  const matches = globsToMatcher(project.testMatch.map(withRoot));
  const ignored = project.testPathIgnorePatterns.map((pattern) => new RegExp(withRoot(pattern)));
  return (file) => matches(file) && !ignored.some((pattern) => pattern.test(file));
}

/** Every file under test/ that a test runner would take for a test file. */
function testFiles(): string[] {
  return fs
    .readdirSync(path.join(root, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(file))
    .map((file) => path.join(root, 'test', file))
    .filter(
      (file) =>
        !file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(path.join(root, 'test/conformance/out') + path.sep),
    );
}

const projects = config.projects.map((project) => ({ name: project.displayName, contains: membership(project) }));

it('has the unit, integration and browser projects, all rooted at the repository', () => {
  expect(config.projects.map((project) => project.displayName)).toEqual(['unit', 'integration', 'browser']);
  for (const project of config.projects) expect(project.rootDir).toBe(root);
});

it('puts every test file in exactly one project', () => {
  const files = testFiles();
  expect(files.length).toBeGreaterThan(100);
  const misplaced = files
    .map((file) => ({
      file: path.relative(root, file),
      in: projects.filter((project) => project.contains(file)).map((project) => project.name),
    }))
    .filter((entry) => entry.in.length !== 1);
  expect(misplaced).toEqual([]);
});

it.each(['integration', 'browser'])('lists in %s only files that exist, each once, in order', (name) => {
  const listed = config.projects.find((project) => project.displayName === name)!.testMatch.map((glob) => glob.replace('<rootDir>/', ''));
  expect(listed.filter((file) => !fs.existsSync(path.join(root, file)))).toEqual([]);
  expect(listed).toEqual([...new Set(listed)].sort());
});

it('knows a file outside every list as unit, and a listed one as integration', () => {
  const of = (file: string) => projects.filter((project) => project.contains(path.join(root, file))).map((project) => project.name);
  expect(of('test/some-new-folder/new-thing.test.ts')).toEqual(['unit']);
  expect(of('test/runner/run-pipeline.test.ts')).toEqual(['integration']);
  expect(of('test/viewer/viewer-browser.test.ts')).toEqual(['browser']);
  expect(of('test/runner/support.ts')).toEqual([]);
});

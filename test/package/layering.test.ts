/**
 * Which of the package's folders may load which: every relative import and require in its sources
 * must follow the layering below, so a folder never reaches up into one that builds on it (the
 * CLI into nothing, vertex/ never into serving/'s stand-ins, project/ never into the CLI).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Each folder, and the folders its sources may load (besides its own). */
const mayLoad: Readonly<Record<string, readonly string[]>> = {
  compiler: [],
  containers: ['compiler'],
  'components/gcpc': ['compiler'],
  runner: ['compiler'],
  vertex: ['compiler', 'runner'],
  serving: ['compiler', 'components/gcpc', 'runner'],
  project: ['compiler', 'containers'],
  testing: ['compiler', 'runner', 'vertex'],
  viewer: ['compiler', 'runner', 'serving'],
  cli: ['compiler', 'containers', 'components/gcpc', 'runner', 'vertex', 'serving', 'project', 'testing', 'viewer'],
};
const folders = Object.keys(mayLoad).sort((a, b) => b.length - a.length);

function sources(folder: string): string[] {
  return fs.readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx|js)$/.test(file) && !file.split(path.sep).includes('node_modules'))
    .map((file) => path.join(folder, file));
}

/** The package folder a repository path lies in, or the path's first segment. */
function folderOf(file: string): string {
  return folders.find((folder) => file === folder || file.startsWith(`${folder}/`)) ?? file.split('/')[0]!;
}

/** `import … from`, `export … from`, `require(…)` and `import(…)` of relative paths. */
const relativeSpecifier = /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](\.\.?\/[^'"]+)['"]/g;

describe('layering', () => {
  it('no source loads a folder its own folder may not', () => {
    const violations: string[] = [];
    for (const folder of Object.keys(mayLoad)) {
      for (const file of sources(folder)) {
        for (const [, specifier] of fs.readFileSync(path.join(root, file), 'utf8').matchAll(relativeSpecifier)) {
          const target = folderOf(path.relative(root, path.resolve(root, path.dirname(file), specifier!)).split(path.sep).join('/'));
          if (target !== folder && !mayLoad[folder]!.includes(target)) violations.push(`${file}: ${specifier} (${folder} → ${target})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where kfp-ts itself is installed: the folder of its package.json, found by walking up from this
 * module, so the answer is the same from the TypeScript sources (a checkout) and from the compiled
 * package (`dist/` inside node_modules/kfp-ts).
 */
function findPackageRoot(): string {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kfp-ts') return folder;
    if (path.dirname(folder) === folder) throw new Error(`kfp-ts internal error: no kfp-ts package.json above ${__dirname}`);
  }
}

let root: string | undefined;
export function kfpTsPackageRoot(): string {
  return (root ??= findPackageRoot());
}

export function kfpTsVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(kfpTsPackageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A folder for caches that only save time (transformed sources, the compiled schema validator):
 * `node_modules/.cache/<name>` of the project kfp-ts is installed in (or of this checkout), as
 * babel and eslint do, else the system's temporary folder. Callers treat every failure to write as
 * "no cache".
 */
export function cacheFolder(name: string): string {
  for (let folder = __dirname; path.dirname(folder) !== folder; folder = path.dirname(folder)) {
    if (path.basename(folder) === 'node_modules') return path.join(folder, '.cache', name);
    const modules = path.join(folder, 'node_modules');
    if (fs.existsSync(modules)) return path.join(modules, '.cache', name);
  }
  return path.join(os.tmpdir(), `${name}-${os.userInfo().uid}`);
}

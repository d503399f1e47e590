import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where kfp-ts itself is installed: the folder of its package.json, found by walking up from this
 * module, so the answer is the same from the TypeScript sources (a checkout) and from the compiled
 * package (`dist/` inside node_modules/kfp-ts).
 */
function findPackage(): { root: string; version: string } {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    const manifestFile = path.join(folder, 'package.json');
    if (fs.existsSync(manifestFile)) {
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { name?: string; version: string };
      if (manifest.name === 'kfp-ts') return { root: folder, version: manifest.version };
    }
    if (path.dirname(folder) === folder) throw new Error(`kfp-ts internal error: no kfp-ts package.json above ${__dirname}`);
  }
}

// Found and read once: the version is what the manifest said when it was found.
let found: { root: string; version: string } | undefined;
export function kfpTsPackageRoot(): string {
  return (found ??= findPackage()).root;
}

export function kfpTsVersion(): string {
  return (found ??= findPackage()).version;
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

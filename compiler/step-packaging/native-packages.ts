import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Packages that load a compiled addon at run time by a computed path, which a bundler cannot see:
 * esbuild bundles their JavaScript without complaint and the step fails only in its container.
 * They are known by how they build and find the addon (node-gyp's binding.gyp, or one of the usual
 * loader packages).
 */
const ADDON_LOADERS = new Set(['bindings', 'node-gyp-build', 'prebuild-install', '@mapbox/node-pre-gyp', 'node-pre-gyp', 'pkg-prebuilds']);

/** The folder of the package a bundled file belongs to, or undefined for the project's own files. */
function packageFolderOf(file: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = file.slice(at + marker.length).split(path.sep);
  const depth = rest[0]?.startsWith('@') ? 2 : 1;
  return file.slice(0, at + marker.length) + rest.slice(0, depth).join(path.sep);
}

function isNativePackage(folder: string): boolean {
  if (fs.existsSync(path.join(folder, 'binding.gyp'))) return true;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      gypfile?: boolean;
    };
    return manifest.gypfile === true || Object.keys(manifest.dependencies ?? {}).some((name) => ADDON_LOADERS.has(name));
  } catch {
    return false;
  }
}

/** The names of the native packages among the bundle's input files (absolute paths). */
export function nativePackagesAmong(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    const folder = packageFolderOf(file);
    if (folder !== undefined) folders.add(folder);
  }
  const names = [...folders].filter(isNativePackage).map((folder) => {
    const parts = folder.split(path.sep);
    return parts.at(-2)?.startsWith('@') ? `${parts.at(-2)}/${parts.at(-1)}` : parts.at(-1)!;
  });
  return [...new Set(names)].sort();
}

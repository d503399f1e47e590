/**
 * What `node cli/bin/kfp-ts.js …` loads, found by letting esbuild follow every static import and
 * require from the CLI's entry: the repository files, and the npm packages they name. Modules
 * loaded by computed paths (exec-component's component module, worker entries) are not followed;
 * copying whole top-level folders covers those.
 */
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

export interface SourceClosure {
  /** Repository files, relative to the root, `/`-separated. */
  readonly files: readonly string[];
  /** npm packages imported (`@scope/name` or `name`), builtins left out. */
  readonly packages: readonly string[];
}

export function sourceClosure(root: string, entries: readonly string[]): SourceClosure {
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [...entries],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    outdir: path.join(root, '.kfp-ts', 'source-closure'),
    logLevel: 'silent',
  });
  const inputs = result.metafile.inputs;
  const packages = new Set<string>();
  for (const input of Object.values(inputs)) {
    for (const imported of input.imports) {
      const name = packageName(imported.path);
      if (imported.external && name !== undefined) packages.add(name);
    }
  }
  return { files: Object.keys(inputs).sort(), packages: [...packages].sort() };
}

function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

/**
 * A stand-in for Cloud Build's /workspace: a temporary copy of the top-level folders `kfp-ts`
 * loads from (as esbuild finds them from the CLI's entry), package.json, and a link to
 * node_modules. Steps run there write their outputs into it, not into the working tree.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sourceClosure } from './source-closure';

export function scratchWorkspace(root: string): string {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-workspace-'));
  const topLevel = new Set(sourceClosure(root, ['cli/bin/kfp-ts.js']).files.map((file) => file.split('/')[0]!));
  topLevel.add('package.json');
  for (const entry of topLevel) fs.cpSync(path.join(root, entry), path.join(workspace, entry), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(workspace, 'node_modules'), 'dir');
  return workspace;
}

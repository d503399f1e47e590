/**
 * A stand-in for Cloud Build's /workspace: a temporary copy of the checkout (what a trigger checks
 * out: every file but the git history and what .gitignore lists as local or built), with a link to
 * node_modules in place of `npm ci`. Steps run there write their outputs into it, not into the
 * working tree, and the images' content-hash tags are computed over it as Cloud Build would.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Top-level entries a trigger's checkout does not have (.gitignore), or that `npm ci` makes. */
const NOT_CHECKED_OUT = new Set(['.git', 'node_modules', '.kfp-ts', 'dist', '.device-bundle']);

export function scratchWorkspace(root: string): string {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-workspace-'));
  for (const entry of fs.readdirSync(root)) {
    if (NOT_CHECKED_OUT.has(entry) || entry.endsWith('.log')) continue;
    fs.cpSync(path.join(root, entry), path.join(workspace, entry), {
      recursive: true,
      filter: (source) => path.basename(source) !== 'node_modules' && !source.startsWith(path.join(root, 'test/conformance/out')),
    });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(workspace, 'node_modules'), 'dir');
  return workspace;
}

/**
 * Where a serving command is looked up on this machine. A containerSpec names a program the image
 * has on its PATH (`my-server`, not a path on the build machine, so that compiled IR does not
 * depend on where it was compiled); locally the same name is looked up as `npm run` would: in the
 * `node_modules/.bin` folders of the project and its parents (where npm links the bins of the
 * project's packages and workspaces), then on PATH.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kfpTsPackageRoot } from '../../compiler/util/package-paths';

/** The `node_modules/.bin` folders from `projectDir` up to the root, then kfp-ts's own, then PATH; each once. */
export function projectCommandSearchPath(projectDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const folders: string[] = [];
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    folders.push(path.join(dir, 'node_modules', '.bin'));
    if (path.dirname(dir) === dir) break;
  }
  folders.push(path.join(kfpTsPackageRoot(), 'node_modules', '.bin'));
  folders.push(...(env['PATH'] ?? '').split(path.delimiter).filter((entry) => entry !== ''));
  return [...new Set(folders)];
}

/**
 * The file `program` runs: a bare name is looked up in `searchPath`, a path with a slash is taken
 * relative to `workingDirectory` (the project root, which stands for the image's WORKDIR, as for
 * the runner's tasks). Undefined when there is no executable file there.
 */
export function findExecutable(program: string, searchPath: readonly string[], workingDirectory: string): string | undefined {
  if (program.includes('/')) {
    const file = path.resolve(workingDirectory, program);
    return isExecutableFile(file) ? file : undefined;
  }
  for (const folder of searchPath) {
    const file = path.join(path.resolve(workingDirectory, folder), program);
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheFolder } from '../compiler/util/package-paths';
import { shellCommand } from '../project/docker-commands';

/**
 * Makes `kfp-ts` a command that the local runner's tasks find on PATH, as the project's image has
 * it: containerized steps compile to `kfp-ts exec-component …`, and on this machine that must be
 * this very kfp-ts, wherever it is installed (a checkout has no node_modules/.bin/kfp-ts of its own).
 * A two-line shell script in a cache folder, rewritten when it would point elsewhere. Called by the
 * commands that run tasks on this machine (run, emulator, serve), not at every start-up.
 */
export function putKfpTsOnPath(binFile: string = path.join(__dirname, 'bin', 'kfp-ts.js'), env: NodeJS.ProcessEnv = process.env): void {
  const folder = path.join(cacheFolder('kfp-ts-bin'), 'bin');
  const shim = path.join(folder, 'kfp-ts');
  const text = `#!/bin/sh\nexec ${shellCommand([process.execPath, binFile])} "$@"\n`;
  try {
    if (!fs.existsSync(shim) || fs.readFileSync(shim, 'utf8') !== text) {
      fs.mkdirSync(folder, { recursive: true });
      const temporary = `${shim}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, text, { mode: 0o755 });
      fs.renameSync(temporary, shim);
    }
  } catch {
    return; // A read-only install: containerized steps then need kfp-ts on PATH already.
  }
  const entries = (env['PATH'] ?? '').split(path.delimiter).filter((entry) => entry !== '' && entry !== folder);
  env['PATH'] = [folder, ...entries].join(path.delimiter);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedConfig } from './load-config';
import { dockerfileText } from './scaffold/docker-files';

/**
 * Writes the starting-point Dockerfile (the one `kfp-ts init` writes: node:20-slim, `npm ci`, the
 * project in /app with `kfp-ts` on PATH) for each configured image whose Dockerfile does not exist
 * yet, and returns the files written. Only `kfp-ts build` does this: compiling never writes.
 */
export function writeMissingDockerfiles({ config, folder }: LoadedConfig): string[] {
  const written: string[] = [];
  for (const image of Object.values(config.images ?? {})) {
    const dockerfile = path.resolve(folder, image.dockerfile ?? 'Dockerfile');
    if (fs.existsSync(dockerfile) || written.includes(dockerfile)) continue;
    fs.mkdirSync(path.dirname(dockerfile), { recursive: true });
    fs.writeFileSync(dockerfile, dockerfileText({ vendored: fs.existsSync(path.join(folder, 'vendor')) }), { flag: 'wx' });
    written.push(dockerfile);
  }
  return written;
}

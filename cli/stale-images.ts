import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';

/** `registry/path/name:tag` → `[name, tag]` (the last path segment and the tag), for content-hash tags only. */
function nameAndHashTag(image: string): [string, string] | undefined {
  const match = /(?:^|\/)([^/:@]+):(src-[0-9a-f]+)$/.exec(image);
  return match ? [match[1]!, match[2]!] : undefined;
}

/**
 * Compiled IR that names a project image by an older content hash than the project's sources have
 * now: on this machine its containerized steps would run today's code under the old image name (and
 * so the old cache key). One line per such image, to warn before running it.
 */
export function staleProjectImages(spec: IrPipelineSpec, currentImages: readonly string[]): string[] {
  const current = new Map<string, string>();
  for (const image of currentImages) {
    const parsed = nameAndHashTag(image);
    if (parsed) current.set(parsed[0], parsed[1]);
  }
  const stale = new Set<string>();
  for (const executor of Object.values(spec.deploymentSpec?.executors ?? {})) {
    const parsed = executor.container && nameAndHashTag(executor.container.image);
    if (!parsed) continue;
    const now = current.get(parsed[0]);
    if (now !== undefined && now !== parsed[1]) stale.add(`${parsed[0]}: compiled as ${parsed[1]}, its sources now hash to ${now}`);
  }
  return [...stale].sort();
}

/**
 * An image built from the team's own project (`kfp-ts build`), named in code by a short name and
 * resolved when the pipeline compiles: the compile options give its registry path and its tag, a
 * hash of what goes into it, so a code change makes a new image and so a new cache key.
 */
export interface ProjectImage {
  readonly kind: 'projectImage';
  /** The name the project's configuration gives the image, e.g. `steps`. */
  readonly name: string;
}

const NAME_PATTERN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function projectImage(name: string): ProjectImage {
  if (!NAME_PATTERN.test(name)) {
    throw new TypeError(
      `projectImage('${name}'): image names are lowercase letters, digits and single '.', '_' or '-' between them (e.g. 'steps')`,
    );
  }
  return { kind: 'projectImage', name };
}

export function isProjectImage(value: unknown): value is ProjectImage {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'projectImage';
}

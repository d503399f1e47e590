import { VertexInputError } from '../../vertex/vertex-input-error';

/** A `--poll-interval` in seconds (fractions allowed) as milliseconds. */
export function pollIntervalMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!(seconds > 0)) throw new VertexInputError([`--poll-interval must be a number of seconds > 0, got '${text}'`]);
  return seconds * 1000;
}

/**
 * What the metrics helpers write into: a function component's output artifact, or any object with a
 * mutable `metadata` record (`{ metadata: record }` fills a plain record).
 */
import type { OutputArtifact } from '../function-component';
import { MetricsError } from './metrics-error';

/** `outputs.<name>` of a function component, or `{ metadata: record }` for a plain record. */
export type MetadataTarget = Pick<OutputArtifact, 'metadata'>;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The target's metadata record, read afresh on every call (an implementation may replace it). */
export function metadataOf(target: MetadataTarget, method: string): Record<string, unknown> {
  const metadata: unknown = isRecord(target) ? target.metadata : undefined;
  if (!isRecord(metadata)) {
    throw new MetricsError(
      method,
      'the target has no metadata record',
      'pass an output artifact of the component (outputs.<name>), or { metadata: record } to fill a plain record',
    );
  }
  return metadata;
}

/**
 * Decides which manifest rows become training examples: rows with a missing or undecodable image,
 * an empty label or an unusable field are bad; among the good rows, near-duplicates (pHash within
 * the threshold, transitively) are grouped and one row per group is kept, so no near-duplicate can
 * appear on both sides of the train/val/test split.
 */
import { concurrencyLimit } from '../storage/concurrency-limit';
import type { FileSource } from '../storage/file-source';
import type { ManifestRow, SplitName } from './manifest';
import { inspectImage } from './image-inspection';
import { mapConcurrent } from './map-concurrent';
import { groupNearDuplicates } from './near-duplicates';
import { hammingDistance, hashToHex } from './perceptual-hash';

export type BadRowReason = 'invalid-row' | 'empty-label' | 'missing-image' | 'unreadable-image' | 'undecodable-image';

export interface BadRow {
  readonly line: number;
  readonly image: string;
  readonly label: string;
  readonly reasons: BadRowReason[];
  /** Every problem of the row, in words. */
  readonly message: string;
}

export interface KeptRow {
  readonly row: ManifestRow;
  readonly width: number;
  readonly height: number;
  /** Source format, as sharp names it. */
  readonly format: string;
  readonly phash: bigint;
  readonly sha256: string;
  /** The split this row must go to: its own, or one a removed twin named in the manifest. */
  readonly split?: SplitName;
}

export interface RowRef {
  readonly line: number;
  readonly image: string;
  readonly label: string;
  /** pHash as 16 hex digits. */
  readonly phash: string;
}

export interface DuplicateGroup {
  readonly kept: RowRef;
  /** Removed rows with their Hamming distance to the kept one. */
  readonly removed: (RowRef & { readonly distance: number })[];
  /** Members carry different labels: the kept row's label wins; check the others by hand. */
  readonly labelConflict: boolean;
  /** Members name different splits in the manifest: the kept row's split wins. */
  readonly splitConflict: boolean;
}

export interface RowSelection {
  readonly totalRows: number;
  readonly bad: BadRow[];
  /** One row per near-duplicate group, in manifest order. */
  readonly kept: KeptRow[];
  /** Groups with more than one member, in manifest order of their kept row. */
  readonly duplicateGroups: DuplicateGroup[];
}

export interface SelectOptions {
  /** Largest Hamming distance (of 64 bits) at which two images count as near-duplicates; negative keeps them all. */
  readonly dedupeThreshold: number;
  /** Images decoded at once. */
  readonly concurrency: number;
  /** Images read (downloaded) at once; the reader may bound its own downloads further. */
  readonly readConcurrency: number;
  readonly files: FileSource;
  /** Local image files larger than this are bad rows, refused unread. */
  readonly maxImageBytes?: number;
}

export async function selectRows(rows: readonly ManifestRow[], options: SelectOptions): Promise<RowSelection> {
  const decodeLimit = concurrencyLimit(options.concurrency);
  const inspections = await mapConcurrent(rows, Math.max(options.readConcurrency, options.concurrency), (row) =>
    row.image === '' ? Promise.resolve(undefined) : inspectImage(row.image, row.location, options.files, decodeLimit, options.maxImageBytes),
  );
  const bad: BadRow[] = [];
  const good: KeptRow[] = [];
  rows.forEach((row, index) => {
    const reasons: BadRowReason[] = [];
    const messages: string[] = [];
    if (row.problem) {
      reasons.push('invalid-row');
      messages.push(row.problem);
    }
    if (row.label === '') {
      reasons.push('empty-label');
      messages.push('empty label; give every row a class name or remove it');
    }
    const inspection = inspections[index];
    if (inspection && !inspection.ok) {
      reasons.push(inspection.reason === 'missing' ? 'missing-image' : inspection.reason === 'unreadable' ? 'unreadable-image' : 'undecodable-image');
      messages.push(inspection.message);
    }
    if (reasons.length > 0 || !inspection || !inspection.ok) {
      bad.push({ line: row.line, image: row.image, label: row.label, reasons, message: messages.join('; ') });
      return;
    }
    const { width, height, format, phash, sha256 } = inspection;
    good.push({ row, width, height, format, phash, sha256, ...(row.split ? { split: row.split } : {}) });
  });

  const kept: KeptRow[] = [];
  const duplicateGroups: DuplicateGroup[] = [];
  const ref = (member: KeptRow): RowRef => ({ line: member.row.line, image: member.row.image, label: member.row.label, phash: hashToHex(member.phash) });
  // A negative threshold keeps near-duplicates: every image is its own group.
  const groups = options.dedupeThreshold < 0 ? good.map((_, index) => [index]) : groupNearDuplicates(good.map((member) => member.phash), options.dedupeThreshold);
  for (const group of groups) {
    const members = group.map((index) => good[index]);
    // A row the manifest pins to a split is the one to keep, so the pin is honoured.
    const representative = members.find((member) => member.split !== undefined) ?? members[0];
    kept.push(representative);
    if (members.length === 1) continue;
    const splits = new Set(members.flatMap((member) => (member.split ? [member.split] : [])));
    duplicateGroups.push({
      kept: ref(representative),
      removed: members.filter((member) => member !== representative).map((member) => ({ ...ref(member), distance: hammingDistance(member.phash, representative.phash) })),
      labelConflict: new Set(members.map((member) => member.row.label)).size > 1,
      splitConflict: splits.size > 1,
    });
  }
  kept.sort((a, b) => a.row.line - b.row.line);
  duplicateGroups.sort((a, b) => a.kept.line - b.kept.line);
  return { totalRows: rows.length, bad, kept, duplicateGroups };
}

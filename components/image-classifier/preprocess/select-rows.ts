/**
 * Decides which manifest rows become training examples: rows with a missing or undecodable image,
 * an empty label or an unusable field are bad; among the good rows, exact copies and near-duplicates
 * of a kept row are removed (near-duplicates.ts), so no copy can appear on both sides of the
 * train/val/test split. Rows the manifest fixes to a split are always kept; copies among them
 * across splits are reported as leakage.
 */
import { concurrencyLimit } from '../lib/storage/concurrency-limit';
import type { FileSource } from '../lib/storage/file-source';
import type { ManifestRow, SplitName } from './manifest';
import { inspectImage } from './image-inspection';
import { mapConcurrent } from './map-concurrent';
import { findDuplicates, type MatchReason } from './near-duplicates';
import type { SearchHashes } from './image-signature';
import { hashToHex } from './perceptual-hash';
import { itemAt } from '../../../compiler/util/checked-access';

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
  /** The split the manifest fixes for this row. */
  readonly split?: SplitName;
}

export interface RowRef {
  readonly line: number;
  readonly image: string;
  readonly label: string;
  /** pHash as 16 hex digits. */
  readonly phash: string;
}

export interface RemovedRow extends RowRef {
  /** exact: the same file bytes (sha256); near: a near-duplicate (pHash candidate, pixel check). */
  readonly reason: MatchReason;
  /** pHash bits apart from the kept row. */
  readonly distance: number;
  /** Thumbnail similarity (NCC) with the kept row; 1 for an exact copy. */
  readonly similarity: number;
}

export interface DuplicateGroup {
  readonly kept: RowRef;
  /** Rows removed as copies of the kept one. */
  readonly removed: RemovedRow[];
  /** A removed row carried another label: the kept row's label wins; check the others by hand. */
  readonly labelConflict: boolean;
}

/** Two rows the manifest fixes to different splits that are copies of each other: both are kept. */
export interface LeakagePair {
  readonly first: RowRef & { readonly split: SplitName };
  readonly second: RowRef & { readonly split: SplitName };
  readonly reason: MatchReason;
  readonly distance: number;
  readonly similarity: number;
}

export interface RowSelection {
  readonly totalRows: number;
  readonly bad: BadRow[];
  /** Rows that become examples, in manifest order. */
  readonly kept: KeptRow[];
  /** Kept rows with the rows removed as their copies, in manifest order of the kept row. */
  readonly duplicateGroups: DuplicateGroup[];
  /** Copies across fixed splits, in manifest order of the later row. */
  readonly leakage: LeakagePair[];
  /** Rows removed as copies, per label of the removed row. */
  readonly removedPerClass: Record<string, number>;
}

export interface SelectOptions {
  /** pHash bits (of 64) within which a pair gets the pixel check; negative keeps near-duplicates (not exact copies). */
  readonly dedupeThreshold: number;
  /** Thumbnail similarity at or above which a candidate pair is a near-duplicate. */
  readonly dedupeMinSimilarity: number;
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
    row.image === ''
      ? Promise.resolve(undefined)
      : inspectImage(row.image, row.location, options.files, decodeLimit, options.maxImageBytes),
  );
  const bad: BadRow[] = [];
  const good: KeptRow[] = [];
  const thumbnails: { grey: Uint8Array; colour?: Uint16Array; hashes?: SearchHashes }[] = [];
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
      reasons.push(
        inspection.reason === 'missing' ? 'missing-image' : inspection.reason === 'unreadable' ? 'unreadable-image' : 'undecodable-image',
      );
      messages.push(inspection.message);
    }
    if (reasons.length > 0 || !inspection || !inspection.ok) {
      bad.push({ line: row.line, image: row.image, label: row.label, reasons, message: messages.join('; ') });
      return;
    }
    const { width, height, format, phash, sha256, thumbnail, colour, hashes } = inspection;
    good.push({ row, width, height, format, phash, sha256, ...(row.split ? { split: row.split } : {}) });
    thumbnails.push({ grey: thumbnail, ...(colour ? { colour } : {}), ...(hashes ? { hashes } : {}) });
  });

  const { removedAs, leakage } = findDuplicates(
    good.map((member, index) => {
      const { grey, colour, hashes } = itemAt(thumbnails, index, 'thumbnail');
      return {
        sha256: member.sha256,
        phash: member.phash,
        thumbnail: grey,
        ...(colour ? { colour } : {}),
        ...(hashes ? { hashes } : {}),
        ...(member.split ? { fixedSplit: member.split } : {}),
      };
    }),
    { maxHashDistance: options.dedupeThreshold, minSimilarity: options.dedupeMinSimilarity },
  );
  const ref = (member: KeptRow): RowRef => ({
    line: member.row.line,
    image: member.row.image,
    label: member.row.label,
    phash: hashToHex(member.phash),
  });
  const kept: KeptRow[] = [];
  const removedByTwin = new Map<number, RemovedRow[]>();
  const removedPerClass: Record<string, number> = {};
  good.forEach((member, index) => {
    const match = removedAs[index];
    if (!match) {
      kept.push(member);
      return;
    }
    const removed = removedByTwin.get(match.twin) ?? [];
    removed.push({ ...ref(member), reason: match.reason, distance: match.distance, similarity: roundSimilarity(match.similarity) });
    removedByTwin.set(match.twin, removed);
    removedPerClass[member.row.label] = (removedPerClass[member.row.label] ?? 0) + 1;
  });
  const duplicateGroups: DuplicateGroup[] = [...removedByTwin.keys()]
    .sort((a, b) => a - b)
    .map((twin) => {
      const removed = removedByTwin.get(twin)!;
      const twinRow = itemAt(good, twin, 'row');
      return { kept: ref(twinRow), removed, labelConflict: removed.some((row) => row.label !== twinRow.row.label) };
    });
  const fixedRef = (member: KeptRow) => ({ ...ref(member), split: member.split! });
  const leaks: LeakagePair[] = leakage
    .map((pair) => ({
      first: fixedRef(itemAt(good, pair.twin, 'row')),
      second: fixedRef(itemAt(good, pair.item, 'row')),
      reason: pair.reason,
      distance: pair.distance,
      similarity: roundSimilarity(pair.similarity),
    }))
    .sort((a, b) => a.second.line - b.second.line || a.first.line - b.first.line);
  return { totalRows: rows.length, bad, kept, duplicateGroups, leakage: leaks, removedPerClass: sortedKeys(removedPerClass) };
}

/** Four decimals: reports stay readable and do not change with float rounding noise. */
const roundSimilarity = (similarity: number) => Math.round(similarity * 1e4) / 1e4;

function sortedKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

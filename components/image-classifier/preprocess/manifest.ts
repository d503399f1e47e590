/**
 * `manifest.csv`: one row per image, header `image,label[,split]` (column order free, names
 * case-insensitive). `split` is optional and mostly empty: a row that names one keeps it, the
 * rest are split by the seeded stratified split.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSource } from '../lib/storage/file-source';
import { isGcsUri } from '../lib/storage/gcs-uri';
import { isUnreadableFileError } from '../lib/storage/read-errors';
import { parseCsv } from './csv';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';

export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

/** Spellings accepted in the `split` column. */
const SPLIT_ALIASES: Record<string, SplitName> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  test: 'test',
  testing: 'test',
};

export interface ManifestRow {
  /** 1-based line in the manifest (the header is line 1), to point people at the row. */
  readonly line: number;
  /** The image reference as written: relative path, absolute path or gs:// URI. */
  readonly image: string;
  /** Where the image is read from: a local path (FUSE-mounted buckets included) or a gs:// URI (see FileSource). */
  readonly location: string;
  /** Trimmed class name; '' when the row has none. */
  readonly label: string;
  /** The split the manifest assigns, if any. */
  readonly split?: SplitName;
  /** Set when the row cannot be used as it is written (unknown split, missing column). */
  readonly problem?: string;
}

export class ManifestError extends KfpTsError {
  override readonly name = 'ManifestError';
}

export interface Manifest {
  /** Where the manifest was read from (a local path or a gs:// URI); relative image paths resolve against its folder. */
  readonly location: string;
  readonly rows: ManifestRow[];
}

/** Where an image reference is read from; relative references resolve against the manifest's folder. */
export type LocateImage = (reference: string) => string;

/** Parses manifest text; `locate` says where each image is read from. */
export function parseManifest(text: string, locate: LocateImage, source = 'manifest.csv'): ManifestRow[] {
  const records = parseCsv(text, source);
  const [headerRecord] = records;
  if (!headerRecord) throw new ManifestError(`${source} is empty; it needs a header line 'image,label,split' and one row per image.`);
  const header = headerRecord.fields.map((name) => name.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const imageColumn = column('image');
  const labelColumn = column('label');
  const splitColumn = column('split');
  if (imageColumn < 0 || labelColumn < 0) {
    throw new ManifestError(
      `${source} line 1: the header must name the columns 'image' and 'label' (and optionally 'split'), found: ${headerRecord.fields.map((f) => `'${f}'`).join(', ')}.`,
    );
  }
  return records.slice(1).map(({ fields, line }) => {
    const image = (fields[imageColumn] ?? '').trim();
    const label = (fields[labelColumn] ?? '').trim();
    const splitText = splitColumn >= 0 ? (fields[splitColumn] ?? '').trim() : '';
    const split = splitText === '' ? undefined : SPLIT_ALIASES[splitText.toLowerCase()];
    let problem: string | undefined;
    if (image === '') problem = 'no image path in the image column';
    else if (splitText !== '' && split === undefined) problem = `unknown split '${splitText}'; use train, val, test or leave it empty`;
    return {
      line,
      image,
      location: image === '' ? '' : locate(image),
      label,
      ...(split ? { split } : {}),
      ...(problem ? { problem } : {}),
    };
  });
}

/** 1 GiB: about ten million rows; anything larger is not a manifest (and would not fit a string). */
export const MAX_MANIFEST_BYTES = 1024 * 1024 * 1024;

/** Reads a manifest from a local path or a gs:// URI through `files` (see FileSource for the gs:// rule). */
export async function loadManifest(reference: string, files: FileSource): Promise<Manifest> {
  const location = files.locate(reference);
  let bytes: Buffer;
  try {
    bytes = await files.read(location, 'manifest', MAX_MANIFEST_BYTES);
  } catch (error) {
    if (isUnreadableFileError(error)) throw new ManifestError(`Cannot read the manifest ${reference}: ${error.message}.`);
    throw error;
  }
  return { location, rows: parseManifest(bytes.toString('utf8'), (image) => files.locate(image, location), reference) };
}

/** Reads a manifest on this machine's file system, synchronously (tools and tests); the step uses loadManifest. */
export function readManifest(localPath: string): Manifest {
  if (isGcsUri(localPath))
    throw new ManifestError(
      `readManifest reads local files; ${localPath} is a Cloud Storage URI: use loadManifest(uri, new FileSource()).`,
    );
  const location = path.resolve(localPath);
  let text: string;
  try {
    text = fs.readFileSync(location, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ManifestError(`Cannot read the manifest ${localPath}: manifest not found: ${location}.`);
    throw error;
  }
  return {
    location,
    rows: parseManifest(text, (image) => (isGcsUri(image) ? image : path.resolve(path.dirname(location), image)), localPath),
  };
}

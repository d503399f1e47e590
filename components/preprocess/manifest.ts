/**
 * `manifest.csv`: one row per image, header `image,label[,split]` (column order free, names
 * case-insensitive). `split` is optional and mostly empty: a row that names one keeps it, the
 * rest are split by the seeded stratified split.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCsv } from './csv';
import { gcsUriToLocalPath, isGcsUri, missingFileMessage, resolveImagePath } from './image-location';

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
  /** Where the image is read on this machine. */
  readonly path: string;
  /** Trimmed class name; '' when the row has none. */
  readonly label: string;
  /** The split the manifest assigns, if any. */
  readonly split?: SplitName;
  /** Set when the row cannot be used as it is written (unknown split, missing column). */
  readonly problem?: string;
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

export interface Manifest {
  /** Where the manifest was read on this machine. */
  readonly path: string;
  /** Relative image paths resolve against this folder. */
  readonly dir: string;
  readonly rows: ManifestRow[];
}

/** Parses manifest text; `manifestDir` is the folder relative image paths resolve against. */
export function parseManifest(text: string, manifestDir: string, source = 'manifest.csv'): ManifestRow[] {
  const records = parseCsv(text, source);
  if (records.length === 0) throw new ManifestError(`${source} is empty; it needs a header line 'image,label,split' and one row per image.`);
  const header = records[0].fields.map((name) => name.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const imageColumn = column('image');
  const labelColumn = column('label');
  const splitColumn = column('split');
  if (imageColumn < 0 || labelColumn < 0) {
    throw new ManifestError(
      `${source} line 1: the header must name the columns 'image' and 'label' (and optionally 'split'), found: ${records[0].fields.map((f) => `'${f}'`).join(', ')}.`,
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
      path: image === '' ? '' : resolveImagePath(image, manifestDir),
      label,
      ...(split ? { split } : {}),
      ...(problem ? { problem } : {}),
    };
  });
}

/** Reads a manifest from a local path or a `gs://` URI (through the /gcs mount, as on Vertex). */
export function readManifest(location: string): Manifest {
  const localPath = isGcsUri(location) ? gcsUriToLocalPath(location) : path.resolve(location);
  let text: string;
  try {
    text = fs.readFileSync(localPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ManifestError(missingFileMessage(location, localPath, 'manifest'));
    }
    throw error;
  }
  const dir = path.dirname(localPath);
  return { path: localPath, dir, rows: parseManifest(text, dir, location) };
}

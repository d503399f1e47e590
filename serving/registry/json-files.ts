/**
 * The registry's files: JSON records written atomically and durably (a temporary file, fsynced,
 * renamed over the old one, then the folder fsynced), so the prediction server, which reads them
 * while the runner or the CLI writes, never sees half a record, and a power loss leaves the old
 * record or the new one, never an empty file; and ids allocated by creating a folder or file
 * exclusively, so two processes sharing a state folder can never take the same id. Temporary files
 * left by a writer that died are deleted by the next write of the same record.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { processAlive } from '../pid-lock-file';

export function readJson<T>(file: string): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`registry record ${file} is not valid JSON (${(error as Error).message}); restore it or delete its folder.`);
  }
}

/** The JSON text of a record, as every registry file holds it. */
function recordText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `<file>.<pid>.<random>.tmp`: the pid tells a later writer whether its writer is still alive. */
function temporaryFor(file: string): string {
  return `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
}

/** Writes `text` to a new file and fsyncs it. */
function writeDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsyncs a folder, so that a rename or a new entry in it survives a power loss. */
export function fsyncFolder(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (error) {
    // Windows cannot open a folder; its renames are journalled by NTFS.
    if (['EISDIR', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    if (!['EINVAL', 'EPERM', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** Deletes temporary files of `file` whose writer process is gone (a crash between write and rename). */
export function removeStaleTemporaries(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number.parseInt(name.slice(prefix.length).split('.')[0]!, 10);
    if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  removeStaleTemporaries(file);
  const temporary = temporaryFor(file);
  try {
    writeDurably(temporary, recordText(value));
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fsyncFolder(dir);
}

/**
 * The smallest id ≥ 1 (as a decimal string, as Vertex ids are) for which `create(dir/id)`
 * succeeded; `create` must fail with EEXIST when the id is taken.
 */
function allocate(dir: string, create: (target: string) => void): string {
  fs.mkdirSync(dir, { recursive: true });
  const taken = fs
    .readdirSync(dir)
    .map((name) => Number.parseInt(name, 10))
    .filter(Number.isFinite);
  for (let id = Math.max(0, ...taken) + 1; ; id++) {
    try {
      create(path.join(dir, String(id)));
      return String(id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** A new numbered folder under `dir`. */
export function allocateFolderId(dir: string): string {
  const id = allocate(dir, (target) => fs.mkdirSync(target));
  fsyncFolder(dir);
  return id;
}

/**
 * A new numbered `<id>.json` under `dir`, written with `value(id)`: written in full and fsynced under
 * a temporary name, then hard-linked to its number, which fails if the number is taken, so the
 * record appears complete or not at all.
 */
export function allocateRecordId(dir: string, value: (id: string) => unknown): string {
  let id = '';
  allocate(dir, (target) => {
    id = path.basename(target);
    const file = `${target}.json`;
    const temporary = temporaryFor(file);
    writeDurably(temporary, recordText(value(id)));
    try {
      fs.linkSync(temporary, file);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  });
  fsyncFolder(dir);
  return id;
}

/** The numbered entries (`1`, `2`, … or `1.json`, …) of `dir`, as ids in numeric order; none when it is missing. */
export function numberedIds(dir: string, suffix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(suffix) && /^\d+$/.test(name.slice(0, name.length - suffix.length)))
    .map((name) => name.slice(0, name.length - suffix.length))
    .sort((a, b) => Number(a) - Number(b));
}

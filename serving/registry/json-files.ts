/**
 * The registry's files: JSON records written atomically (a temporary file renamed over the old
 * one), so the prediction server, which reads them while the runner or the CLI writes, never sees
 * half a record; and ids allocated by creating a folder or file exclusively, so two processes
 * sharing a state folder can never take the same id.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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

export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

/**
 * The smallest id ≥ 1 (as a decimal string, as Vertex ids are) for which `create(dir/id)`
 * succeeded; `create` must fail with EEXIST when the id is taken.
 */
function allocate(dir: string, create: (target: string) => void): string {
  fs.mkdirSync(dir, { recursive: true });
  const taken = fs.readdirSync(dir).map((name) => Number.parseInt(name, 10)).filter(Number.isFinite);
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
  return allocate(dir, (target) => fs.mkdirSync(target));
}

/** A new numbered `<id>.json` under `dir`, written with `value(id)`. */
export function allocateRecordId(dir: string, value: (id: string) => unknown): string {
  let id = '';
  allocate(dir, (target) => {
    id = path.basename(target);
    fs.writeFileSync(`${target}.json`, `${JSON.stringify(value(id), null, 2)}\n`, { flag: 'wx' });
  });
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

/**
 * The viewer's connection to an ML Metadata (schema v10) SQLite file: opened read-only (SQLite
 * refuses every write on it, so the viewer cannot change a store a runner is writing), checked the
 * way MLMD checks on open, with the few decoders the queries share.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';
import { plainValue } from '../../runner/artifact-records';
import { SCHEMA_VERSION, TABLE_NAMES } from '../../runner/mlmd/schema';
import { fromPropertyColumns, type PropertyColumns } from '../../runner/mlmd/property-values';

export class ViewerStoreError extends KfpTsError {
  override readonly name = 'ViewerStoreError';
}

/** The largest store read into memory when its folder cannot take SQLite's -shm file. */
const MAX_COPIED_STORE_BYTES = 512 * 1024 * 1024;

/** SQLite's answers when a read-only connection to a WAL database cannot create the -shm file. */
function walNeedsWritableFolder(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY_CANTINIT';
}

/** A row of a *Property table with its owner id. */
export type PropertyRow = PropertyColumns & { owner: number; name: string };

export class ReadOnlyStore {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    /** false: a copy of the file read at start (its folder cannot take SQLite's -shm file); a running pipeline's progress is not seen. */
    readonly live: boolean,
  ) {}

  static open(file: string): ReadOnlyStore {
    if (!fs.existsSync(file)) {
      throw new ViewerStoreError(
        `ML Metadata store ${file} does not exist: run a pipeline first (kfp-ts run …), or pass the store with --metadata FILE`,
      );
    }
    let db: Database.Database;
    try {
      // A short busy timeout: a runner's write transactions last milliseconds, and a page must not hang.
      db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
    } catch (error) {
      throw new ViewerStoreError(`ML Metadata store ${file}: cannot open it read-only: ${(error as Error).message}`);
    }
    try {
      checkSchema(db, file);
    } catch (error) {
      db.close();
      if (error instanceof ViewerStoreError) throw error;
      if (walNeedsWritableFolder(error)) return ReadOnlyStore.copyOf(file);
      throw new ViewerStoreError(`ML Metadata store ${file}: ${(error as Error).message} (is it an ML Metadata SQLite file?)`);
    }
    return new ReadOnlyStore(file, db, true);
  }

  /**
   * A store in WAL mode (the runner's, runner/mlmd/store-file.ts) is read through its -shm index,
   * which even a read-only connection creates beside the file when no writer has (https://sqlite.org/wal.html,
   * "Read-Only Databases"); in a folder this user cannot write, that fails. With
   * no -wal content (no writer, every commit checkpointed into the file) the file alone is the whole
   * store: it is read into memory, marked as a rollback-journal database (header bytes 18-19, 2 = WAL:
   * https://sqlite.org/fileformat2.html, "File format version numbers") so SQLite opens the copy.
   */
  private static copyOf(file: string): ReadOnlyStore {
    const folder = path.dirname(file);
    const wal = `${file}-wal`;
    if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
      throw new ViewerStoreError(
        `ML Metadata store ${file}: it is in WAL mode with commits still in ${path.basename(wal)}, and SQLite cannot create its -shm file in ${folder} (not writable by this user): ` +
          'run kfp-ts ui as a user who can write that folder, or copy the store with its -wal file to a folder you can write and pass it with --metadata',
      );
    }
    const { size } = fs.statSync(file);
    if (size > MAX_COPIED_STORE_BYTES) {
      throw new ViewerStoreError(
        `ML Metadata store ${file}: SQLite cannot create its -shm file in ${folder} (not writable by this user), and at ${Math.round(size / 1024 / 1024)} MiB it is too large to read into memory instead: ` +
          'run kfp-ts ui as a user who can write that folder, or copy the store to a folder you can write and pass it with --metadata',
      );
    }
    const data = fs.readFileSync(file);
    if (data[18] === 2) data[18] = 1;
    if (data[19] === 2) data[19] = 1;
    let db: Database.Database;
    try {
      db = new Database(data, { readonly: true });
      checkSchema(db, file);
    } catch (error) {
      if (error instanceof ViewerStoreError) throw error;
      throw new ViewerStoreError(`ML Metadata store ${file}: ${(error as Error).message} (is it an ML Metadata SQLite file?)`);
    }
    return new ReadOnlyStore(file, db, false);
  }

  close(): void {
    this.db.close();
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  /**
   * Rows as arrays of column values: for queries returning thousands of rows (a large run's
   * executions and properties), where building one object per row costs more than the query.
   */
  rows<T extends readonly unknown[]>(sql: string, ...params: unknown[]): T[] {
    return this.statement(sql, true).all(...params) as T[];
  }

  /** Several queries over one snapshot, so a page never mixes two states of a running pipeline. */
  snapshot<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }

  private statement(sql: string, raw = false): Database.Statement {
    const key = raw ? `raw:${sql}` : sql;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (raw) statement.raw(true);
      this.statements.set(key, statement);
    }
    return statement;
  }
}

function checkSchema(db: Database.Database, file: string): void {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name.toLowerCase()),
  );
  const missing = TABLE_NAMES.filter((name) => !tables.has(name.toLowerCase()));
  if (missing.length > 0)
    throw new ViewerStoreError(`ML Metadata store ${file}: not an ML Metadata store (missing table(s) ${missing.join(', ')})`);
  const versions = db.prepare('SELECT schema_version FROM MLMDEnv').all() as { schema_version: number }[];
  if (versions.length !== 1 || versions[0]!.schema_version !== SCHEMA_VERSION) {
    throw new ViewerStoreError(
      `ML Metadata store ${file}: schema version ${versions.map((v) => v.schema_version).join(', ') || 'missing'}; the viewer reads version ${SCHEMA_VERSION}`,
    );
  }
}

/** A property row as a plain JSON value (structs unwrapped as KFP wrote them), or undefined for a PROTO value. */
export function propertyValue(row: PropertyRow): unknown {
  const value = fromPropertyColumns(row.name, row);
  return value === undefined ? undefined : plainValue(value);
}

/** Rows grouped by owner id into name → plain value maps. */
export function groupProperties(rows: readonly PropertyRow[]): Map<number, Record<string, unknown>> {
  const byOwner = new Map<number, Record<string, unknown>>();
  for (const row of rows) {
    let properties = byOwner.get(row.owner);
    if (!properties) byOwner.set(row.owner, (properties = {}));
    Object.defineProperty(properties, row.name, { value: propertyValue(row), enumerable: true, writable: true, configurable: true });
  }
  return byOwner;
}

/** The name and value columns of a *Property table under `alias`. */
export const propertyColumns = (alias: string): string =>
  ['name', 'int_value', 'double_value', 'string_value', 'proto_value', 'bool_value'].map((column) => `${alias}.\`${column}\``).join(', ');

/** `?, ?, …` for an IN list of n values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

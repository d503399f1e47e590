// Opening an MLMD SQLite file: create the v10 schema in a new file, or check an existing one the way
// MLMD does on open (all 15 tables present, MLMDEnv holding exactly one row equal to 10).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { StoreHandle } from './store-handle';
import { INSERT_SCHEMA_VERSION, KFP_TS_INDEXES, SCHEMA_VERSION, SECONDARY_INDEXES, SIMPLE_TYPES, TABLES, TABLE_NAMES } from './schema';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

/**
 * How long a connection waits for another process's write lock before failing with SQLITE_BUSY. Writes are
 * short transactions, so a long wait only ever means contention (several task processes of one run, or two
 * runs sharing a store); MLMD's own handler gives up after ~1–3 s, which would fail runs needlessly.
 */
export const BUSY_TIMEOUT_MS = 30_000;

export class MetadataStoreFileError extends KfpTsError {
  override readonly name = 'MetadataStoreFileError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`ML Metadata store ${file}: ${problem}`);
  }
}

/** Opens (creating when new) an MLMD v10 store file; throws MetadataStoreFileError when the file is not one. */
export function openStoreDatabase(file: string): StoreHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new MetadataStoreFileError(file, `cannot open: ${(error as Error).message}`);
  }
  try {
    prepareSchema(db, file);
    // Only once the file is known to be a store: another application's database keeps its mode.
    useWriteAheadLog(db);
    ensureSimpleTypes(db);
    ensureKfpTsIndexes(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof MetadataStoreFileError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') throw new MetadataStoreFileError(file, 'not a SQLite database');
    throw new MetadataStoreFileError(file, (error as Error).message);
  }
}

/**
 * Write-ahead logging with synchronous=NORMAL: a commit appends to the -wal file and needs no fsync
 * (SQLite syncs at checkpoints), where the rollback journal with synchronous=FULL syncs several times
 * per commit, on the runner's main thread, for every task. A committed transaction is in the file
 * once the write returns, so killing the runner (kill -9) loses nothing it recorded; a power cut may
 * lose the last commits but never corrupts the store (https://sqlite.org/wal.html,
 * https://sqlite.org/pragma.html#pragma_synchronous). The mode is stored in the file, which MLMD's
 * SQLite opens as it is. A read-only file keeps its mode.
 */
function useWriteAheadLog(db: Database.Database): void {
  try {
    if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') db.pragma('journal_mode = WAL');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_READONLY') throw error;
  }
  db.pragma('synchronous = NORMAL');
}

/** kfp-ts's own indexes (schema.ts), added to stores made before them; a read-only store goes without. */
function ensureKfpTsIndexes(db: Database.Database): void {
  const present = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((row) => row.name),
  );
  const missing = KFP_TS_INDEXES.filter((index) => !present.has(index.name));
  if (missing.length === 0) return;
  try {
    db.transaction(() => {
      for (const index of missing) db.exec(index.create);
    }).immediate();
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_READONLY') throw error;
  }
}

function tablesIn(db: Database.Database): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as {
    name: string;
  }[];
  return rows.map((row) => row.name);
}

/** MLMD's rule: all tables present → use the file; none → create the schema; some → refuse. */
function prepareSchema(db: Database.Database, file: string): void {
  let present = tablesIn(db);
  if (present.length === 0) {
    // Re-checked under the write lock: another process may have created the schema since the first look.
    db.transaction(() => {
      if (tablesIn(db).length === 0) createSchema(db);
    }).immediate();
    present = tablesIn(db);
  }
  const lowerCase = new Set(present.map((name) => name.toLowerCase())); // SQLite table names ignore case
  const missing = TABLE_NAMES.filter((name) => !lowerCase.has(name.toLowerCase()));
  if (missing.length === TABLE_NAMES.length) {
    throw new MetadataStoreFileError(file, `not an ML Metadata store: it has tables (${present.join(', ')}) but none of MLMD's`);
  }
  if (missing.length > 0) {
    throw new MetadataStoreFileError(
      file,
      `incomplete ML Metadata schema: missing table(s) ${missing.join(', ')} (a subset of MLMD's 15 tables exists)`,
    );
  }
  checkSchemaVersion(db, file);
}

function createSchema(db: Database.Database): void {
  for (const table of TABLES) db.exec(table.create);
  for (const index of SECONDARY_INDEXES) db.exec(index);
  db.prepare(INSERT_SCHEMA_VERSION).run(SCHEMA_VERSION);
}

function checkSchemaVersion(db: Database.Database, file: string): void {
  const rows = db.prepare('SELECT schema_version FROM MLMDEnv').all() as { schema_version: number | null }[];
  const [first] = rows;
  if (!first) throw new MetadataStoreFileError(file, 'MLMDEnv table exists but holds no schema_version row');
  if (rows.length > 1) {
    throw new MetadataStoreFileError(
      file,
      `MLMDEnv holds ${rows.length} schema_version rows (${rows.map((row) => row.schema_version).join(', ')}); MLMD requires exactly one`,
    );
  }
  const version = first.schema_version;
  if (version === SCHEMA_VERSION) return;
  const advice =
    typeof version === 'number' && version < SCHEMA_VERSION
      ? 'it was written by an older MLMD; migrate it with MLMD 1.11 or later (enable_upgrade_migration) or use a new file'
      : 'it was written by a newer MLMD, which kfp-ts cannot write safely; use a new file';
  throw new MetadataStoreFileError(file, `schema version is ${version}, kfp-ts reads and writes only version ${SCHEMA_VERSION}: ${advice}`);
}

const selectSimpleType = 'SELECT id FROM `Type` WHERE name = ? AND version IS NULL AND type_kind = ?';

/**
 * MLMD upserts its simple types in a second transaction after creating the schema, and again on any open
 * that finds them missing; doing the same keeps Type ids 1–9 identical to a file MLMD made.
 */
function ensureSimpleTypes(db: Database.Database): void {
  const find = db.prepare(selectSimpleType);
  const missing = () => SIMPLE_TYPES.filter((type) => find.get(type.name, type.kind) === undefined);
  if (missing().length === 0) return;
  db.transaction(() => {
    const insert = db.prepare('INSERT INTO `Type`(`name`, `type_kind`) VALUES(?, ?)');
    for (const type of missing()) insert.run(type.name, type.kind);
  }).immediate();
}

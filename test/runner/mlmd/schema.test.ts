import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { MetadataStore, MetadataStoreFileError } from '../../../runner/mlmd/metadata-store';
import { KFP_TS_INDEXES, SECONDARY_INDEXES, TABLE_NAMES } from '../../../runner/mlmd/schema';
import { useTempDir } from './temp-dir';

const newFile = useTempDir('mlmd-schema');

function freshStore(): string {
  const file = newFile();
  MetadataStore.open(file).close();
  return file;
}

function withSql<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function openError(file: string): MetadataStoreFileError {
  try {
    MetadataStore.open(file).close();
  } catch (error) {
    if (error instanceof MetadataStoreFileError) return error;
    throw error;
  }
  throw new Error(`expected ${file} to be rejected`);
}

describe('a fresh store', () => {
  it('has exactly MLMD v10’s 15 tables, in creation order, plus sqlite_sequence', () => {
    const file = freshStore();
    const tables = withSql(file, (db) =>
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").all() as { name: string }[]).map((row) => row.name),
    );
    expect(tables.filter((name) => name !== 'sqlite_sequence')).toEqual([
      'Type',
      'TypeProperty',
      'ParentType',
      'Artifact',
      'ArtifactProperty',
      'Execution',
      'ExecutionProperty',
      'Event',
      'EventPath',
      'MLMDEnv',
      'Context',
      'ContextProperty',
      'ParentContext',
      'Association',
      'Attribution',
    ]);
    expect(TABLE_NAMES).toHaveLength(15);
    expect(tables).toContain('sqlite_sequence');
  });

  it('has 41 indexes: MLMD’s 24 secondary ones, 16 autoindexes, and kfp-ts’s own, named kfp_ts_*', () => {
    const file = freshStore();
    withSql(file, (db) => {
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index'").get()).toEqual({ n: 41 });
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name LIKE 'sqlite_autoindex_%'").get()).toEqual({
        n: 16,
      });
      const explicit = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string }[];
      expect(explicit).toHaveLength(25);
      expect(SECONDARY_INDEXES).toHaveLength(24);
      expect(explicit.map((row) => row.name).filter((name) => !name.startsWith('idx_'))).toEqual(KFP_TS_INDEXES.map((index) => index.name));
      expect(KFP_TS_INDEXES.every((index) => index.name.startsWith('kfp_ts_'))).toBe(true);
      const partial = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'idx_execution_property_string'").get() as { sql: string };
      expect(partial.sql).toBe(
        'CREATE INDEX `idx_execution_property_string`  ON `ExecutionProperty`(`name`, `is_custom_property`, `string_value`)  WHERE `string_value` IS NOT NULL',
      );
    });
  });

  it('adds kfp-ts’s indexes to a store made without them, and keeps it in WAL mode', () => {
    const file = freshStore();
    withSql(file, (db) => {
      for (const index of KFP_TS_INDEXES) db.exec(`DROP INDEX \`${index.name}\``);
      db.pragma('journal_mode = DELETE');
    });
    MetadataStore.open(file).close();
    withSql(file, (db) => {
      const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((row) => row.name);
      for (const index of KFP_TS_INDEXES) expect(names).toContain(index.name);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    });
  });

  it('answers "which run holds this execution" from an index, not a scan of Association', () => {
    const file = freshStore();
    const plan = withSql(file, (db) =>
      (db.prepare('EXPLAIN QUERY PLAN SELECT context_id FROM Association WHERE execution_id = ?').all(1) as { detail: string }[])
        .map((row) => row.detail)
        .join('\n'),
    );
    expect(plan).toContain('kfp_ts_idx_association_execution_id');
  });

  it('keeps MLMD’s statement text in sqlite_master', () => {
    const file = freshStore();
    const sql = withSql(file, (db) => (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'Event'").get() as { sql: string }).sql);
    expect(sql).toBe(
      'CREATE TABLE `Event` (    `id` INTEGER PRIMARY KEY AUTOINCREMENT,    `artifact_id` INT NOT NULL,    `execution_id` INT NOT NULL,' +
        '    `type` INT NOT NULL,    `milliseconds_since_epoch` INT,    UNIQUE(`artifact_id`, `execution_id`, `type`)  )',
    );
  });

  it('records schema version 10 in a single MLMDEnv row', () => {
    const file = freshStore();
    expect(withSql(file, (db) => db.prepare('SELECT schema_version FROM MLMDEnv').all())).toEqual([{ schema_version: 10 }]);
  });

  it('holds MLMD’s nine simple types as Type ids 1–9, artifact types first', () => {
    const file = freshStore();
    const types = withSql(file, (db) =>
      db.prepare('SELECT id, name, version, type_kind, description, input_type, output_type, external_id FROM Type ORDER BY id').all(),
    );
    const blank = { version: null, description: null, input_type: null, output_type: null, external_id: null };
    expect(types).toEqual([
      { id: 1, name: 'mlmd.Dataset', type_kind: 1, ...blank },
      { id: 2, name: 'mlmd.Model', type_kind: 1, ...blank },
      { id: 3, name: 'mlmd.Metrics', type_kind: 1, ...blank },
      { id: 4, name: 'mlmd.Statistics', type_kind: 1, ...blank },
      { id: 5, name: 'mlmd.Train', type_kind: 0, ...blank },
      { id: 6, name: 'mlmd.Transform', type_kind: 0, ...blank },
      { id: 7, name: 'mlmd.Process', type_kind: 0, ...blank },
      { id: 8, name: 'mlmd.Evaluate', type_kind: 0, ...blank },
      { id: 9, name: 'mlmd.Deploy', type_kind: 0, ...blank },
    ]);
  });

  it('creates missing parent folders', () => {
    const file = path.join(path.dirname(newFile()), 'a', 'b', 'metadata.sqlite');
    MetadataStore.open(file).close();
    expect(fs.existsSync(file)).toBe(true);
  });
});

describe('reopening', () => {
  it('keeps the data and adds nothing', () => {
    const file = newFile();
    const store = MetadataStore.open(file);
    const context = store.getOrCreateContext('system.Pipeline', 'p');
    store.close();
    const reopened = MetadataStore.open(file);
    expect(reopened.findContext('system.Pipeline', 'p')?.id).toBe(context);
    reopened.close();
    withSql(file, (db) => {
      expect(db.prepare('SELECT count(*) AS n FROM MLMDEnv').get()).toEqual({ n: 1 });
      expect(db.prepare("SELECT count(*) AS n FROM Type WHERE name LIKE 'mlmd.%'").get()).toEqual({ n: 9 });
    });
  });

  it('restores missing simple types, as MLMD does on open', () => {
    const file = freshStore();
    withSql(file, (db) => db.exec("DELETE FROM Type WHERE name = 'mlmd.Deploy'"));
    MetadataStore.open(file).close();
    expect(withSql(file, (db) => db.prepare("SELECT count(*) AS n FROM Type WHERE name = 'mlmd.Deploy'").get())).toEqual({ n: 1 });
  });
});

describe('a file that is not a v10 store is rejected, naming the file and the problem', () => {
  it('schema version 9', () => {
    const file = freshStore();
    withSql(file, (db) => db.exec('UPDATE MLMDEnv SET schema_version = 9'));
    const error = openError(file);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/schema version is 9, kfp-ts reads and writes only version 10: it was written by an older MLMD/);
  });

  it('a newer schema version', () => {
    const file = freshStore();
    withSql(file, (db) => db.exec('UPDATE MLMDEnv SET schema_version = 11'));
    expect(openError(file).message).toMatch(/schema version is 11, .*newer MLMD/);
  });

  it('no MLMDEnv row, or two', () => {
    const empty = freshStore();
    withSql(empty, (db) => db.exec('DELETE FROM MLMDEnv'));
    expect(openError(empty).message).toMatch(/MLMDEnv table exists but holds no schema_version row/);
    const two = freshStore();
    withSql(two, (db) => db.exec('INSERT INTO MLMDEnv VALUES (11)'));
    expect(openError(two).message).toMatch(/MLMDEnv holds 2 schema_version rows \(10, 11\); MLMD requires exactly one/);
  });

  it('a missing table', () => {
    const file = freshStore();
    withSql(file, (db) => db.exec('DROP TABLE Attribution'));
    const error = openError(file);
    expect(error.message).toBe(
      `ML Metadata store ${file}: incomplete ML Metadata schema: missing table(s) Attribution (a subset of MLMD's 15 tables exists)`,
    );
  });

  it('a SQLite database of something else', () => {
    const file = newFile();
    withSql(file, (db) => db.exec('CREATE TABLE notes (body TEXT)'));
    expect(openError(file).message).toMatch(/not an ML Metadata store: it has tables \(notes\) but none of MLMD's/);
  });

  it('a file that is not SQLite at all', () => {
    const file = newFile();
    fs.writeFileSync(file, 'x'.repeat(4096));
    expect(openError(file).message).toBe(`ML Metadata store ${file}: not a SQLite database`);
  });
});

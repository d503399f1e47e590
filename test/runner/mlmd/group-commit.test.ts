import Database from 'better-sqlite3';
import { MetadataStore } from '../../../runner/mlmd/metadata-store';
import { useTempDir } from './temp-dir';

const newFile = useTempDir('mlmd-group-commit');

let file: string;
let store: MetadataStore;
let sql: Database.Database;

beforeEach(() => {
  file = newFile();
  store = MetadataStore.open(file, { groupCommit: true });
  sql = new Database(file, { readonly: true });
});

afterEach(() => {
  sql.close();
  store.close();
});

/** What another connection (the viewer, a second runner, MLMD itself) sees. */
const executionsSeen = () => (sql.prepare('SELECT count(*) AS n FROM Execution').get() as { n: number }).n;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function newExecution(contextIds: number[], name?: string): number {
  return store.createExecution({
    typeName: 'system.ContainerExecution',
    state: 'RUNNING',
    contextIds,
    ...(name !== undefined ? { name } : {}),
  });
}

describe('group commit', () => {
  it('keeps writes out of other connections until commit(), then tells what waited, in order', () => {
    const run = store.getOrCreateContext('system.PipelineRun', 'run-1');
    const told: string[] = [];
    const first = newExecution([run]);
    store.whenCommitted(() => told.push(`first (${executionsSeen()} seen)`));
    store.updateExecution(first, { state: 'COMPLETE', contextIds: [run] });
    newExecution([run]);
    store.whenCommitted(() => told.push(`second (${executionsSeen()} seen)`));
    expect(executionsSeen()).toBe(0);
    expect(told).toEqual([]);

    store.commit();
    expect(told).toEqual(['first (2 seen)', 'second (2 seen)']);
    // Nothing pending: told at once.
    store.whenCommitted(() => told.push('now'));
    expect(told.at(-1)).toBe('now');
  });

  it('commits by itself at the end of the event-loop turn', async () => {
    const run = store.getOrCreateContext('system.PipelineRun', 'run-1');
    newExecution([run]);
    let told = false;
    store.whenCommitted(() => (told = true));
    expect(executionsSeen()).toBe(0);
    await nextTurn();
    expect(executionsSeen()).toBe(1);
    expect(told).toBe(true);
  });

  it('rolls back only the write that failed; the others of the batch commit', () => {
    const run = store.getOrCreateContext('system.PipelineRun', 'run-1');
    newExecution([run], 'root');
    expect(() => newExecution([run], 'root')).toThrow(/already exists/);
    expect(() => newExecution([run, 999])).toThrow(/context 999 does not exist/);
    newExecution([run]);
    store.commit();
    expect(executionsSeen()).toBe(2);
    expect(sql.prepare('SELECT count(*) AS n FROM Association').get()).toEqual({ n: 2 });
  });

  it('commits what is pending when the store closes', () => {
    const run = store.getOrCreateContext('system.PipelineRun', 'run-1');
    newExecution([run]);
    store.close();
    expect(executionsSeen()).toBe(1);
    store = MetadataStore.open(file, { groupCommit: true });
  });

  it('holds the write lock until it commits: another writer waits, as for any IMMEDIATE transaction', () => {
    store.getOrCreateType('kfp_ts.Probe', 'execution');
    const writer = new Database(file);
    try {
      writer.pragma('busy_timeout = 0');
      expect(() => writer.prepare("INSERT INTO `Type`(`name`, `type_kind`) VALUES('kfp_ts.Other', 0)").run()).toThrow(/locked|busy/i);
      store.commit();
      writer.prepare("INSERT INTO `Type`(`name`, `type_kind`) VALUES('kfp_ts.Other', 0)").run();
    } finally {
      writer.close();
    }
    expect(sql.prepare("SELECT count(*) AS n FROM `Type` WHERE name IN ('kfp_ts.Probe', 'kfp_ts.Other')").get()).toEqual({ n: 2 });
  });
});

describe('without group commit', () => {
  it('every write commits by itself, and whenCommitted runs at once', () => {
    const plain = MetadataStore.open(file);
    try {
      const run = plain.getOrCreateContext('system.PipelineRun', 'run-2');
      plain.createExecution({ typeName: 'system.ContainerExecution', state: 'RUNNING', contextIds: [run] });
      let told = false;
      plain.whenCommitted(() => (told = true));
      expect(told).toBe(true);
      expect(executionsSeen()).toBe(1);
    } finally {
      plain.close();
    }
  });
});

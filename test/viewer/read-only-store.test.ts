/**
 * The viewer reads the runner's store in WAL mode: while a runner writes to it (the reader sees each
 * commit), with no writer (SQLite makes the -shm index beside it), and from a folder this user cannot
 * write (a copy read at start, with `live` false).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MetadataStore } from '../../runner/mlmd/metadata-store';
import { ReadOnlyStore } from '../../viewer/server/read-only-store';
import { listRunsPage } from '../../viewer/server/run-list';
import { repoRoot } from '../support/classifier-compile-options';
import { writeSmallStore } from './support/small-store';

const runIds = (store: ReadOnlyStore) => listRunsPage(store, {}).runs.map((run) => run.runId);

describe('reading a WAL-mode store', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-viewer-wal-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('follows a writer live, and opens with no writer present', () => {
    const { metadataFile } = writeSmallStore(folder);
    const writer = MetadataStore.open(metadataFile);
    try {
      expect(fs.existsSync(`${metadataFile}-wal`)).toBe(true); // the runner's store is in WAL mode
      const reader = ReadOnlyStore.open(metadataFile);
      try {
        expect([reader.live, runIds(reader)]).toEqual([true, ['demo-run-1']]);
        const pipeline = writer.getOrCreateContext('system.Pipeline', 'demo');
        const run = writer.getOrCreateContext('system.PipelineRun', 'demo-run-2');
        writer.linkParentContext(run, pipeline);
        writer.createExecution({ typeName: 'system.DAGExecution', name: 'run/demo-run-2', state: 'RUNNING', contextIds: [pipeline, run] });
        expect(runIds(reader)).toEqual(['demo-run-2', 'demo-run-1']);
        expect(listRunsPage(reader, {}).runs[0]!.state).toBe('RUNNING');
      } finally {
        reader.close();
      }
    } finally {
      writer.close();
    }
    // The last writer checkpointed and removed the -wal file; a reader alone still opens it.
    expect(fs.existsSync(`${metadataFile}-wal`)).toBe(false);
    const alone = ReadOnlyStore.open(metadataFile);
    expect([alone.live, runIds(alone)]).toEqual([true, ['demo-run-2', 'demo-run-1']]);
    alone.close();
  });

  it('reads a copy of a store whose folder it cannot write, and says so', () => {
    const readOnly = path.join(folder, 'read-only');
    fs.mkdirSync(readOnly);
    const { metadataFile } = writeSmallStore(readOnly);
    fs.chmodSync(metadataFile, 0o644);
    fs.chmodSync(folder, 0o755); // mkdtemp's 0700 would keep another user out altogether
    fs.chmodSync(readOnly, 0o555);
    try {
      // Root writes any folder: the check runs as `nobody` there.
      const asRoot = process.getuid?.() === 0;
      const script = `const { ReadOnlyStore } = require('./viewer/server/read-only-store'); const { listRunsPage } = require('./viewer/server/run-list');
        const store = ReadOnlyStore.open(${JSON.stringify(metadataFile)}); console.log(JSON.stringify({ live: store.live, runs: listRunsPage(store, {}).runs.map((r) => r.runId) }));`;
      const child = spawnSync(process.execPath, ['-r', './project/register-ts.js', '-e', script], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      expect([child.status, child.stderr]).toEqual([0, '']);
      expect(JSON.parse(child.stdout)).toEqual({ live: false, runs: ['demo-run-1'] });
      expect(fs.readdirSync(readOnly).filter((name) => name.startsWith('metadata'))).toEqual(['metadata.sqlite']);
    } finally {
      fs.chmodSync(readOnly, 0o755);
    }
  });
});

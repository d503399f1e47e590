import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { useTempDir } from './temp-dir';
import { defined } from '../../support/defined';

const newFile = useTempDir('mlmd-concurrent');
const root = path.resolve(__dirname, '../../..');
const fixture = path.join(__dirname, 'fixtures', 'write-executions.ts');
const PER_WRITER = 200;

interface Writer {
  label: string;
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr: () => string;
}

function startWriter(file: string, label: string): Writer {
  const child = spawn(process.execPath, ['-r', path.join(root, 'project', 'register-ts.js'), fixture, file, String(PER_WRITER), label], {
    cwd: root,
  });
  let stdout = '';
  let stderr = '';
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('ready\n')) resolve();
    });
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { label, child, ready, done, stderr: () => stderr };
}

/** Fails with the writers' stderr instead of hanging until jest's timeout when a phase takes too long. */
async function within<T>(ms: number, what: string, writers: Writer[], work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`${what} took over ${ms} ms; stderr: ${writers.map((w) => `${w.label}: ${JSON.stringify(w.stderr())}`).join(', ')}`),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

it(`two processes writing ${PER_WRITER} executions each into one new store at once all land`, async () => {
  const file = newFile();
  const writers = [startWriter(file, 'a'), startWriter(file, 'b')];
  try {
    await within(60_000, 'starting the writers', writers, Promise.all(writers.map((writer) => writer.ready)));
    // Both are loaded and waiting: release them together (ending stdin also lets them exit when done).
    for (const writer of writers) writer.child.stdin.end('go\n');
    const results = await within(90_000, 'writing', writers, Promise.all(writers.map((writer) => writer.done)));

    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    const [a, b] = results.map(
      (result) =>
        JSON.parse(defined(result.stdout.split('\n')[1], "a writer's result line")) as {
          ids: number[];
          startedAt: number;
          finishedAt: number;
        },
    );
    if (!a || !b) throw new Error(`expected two writers' results, got ${results.length}`);
    expect(new Set([...a.ids, ...b.ids]).size).toBe(2 * PER_WRITER);
    // Their writing overlapped in time, so one waited on the other's lock. (It often waits for the whole of the
    // other's run: SQLite's busy handler sleeps and retries, and a writer committing back to back keeps winning.)
    expect(a.startedAt).toBeLessThan(b.finishedAt);
    expect(b.startedAt).toBeLessThan(a.finishedAt);
  } finally {
    for (const writer of writers) if (writer.child.exitCode === null && writer.child.signalCode === null) writer.child.kill();
  }

  const db = new Database(file, { readonly: true });
  try {
    const count = (query: string, ...params: unknown[]) => (db.prepare(query).get(...params) as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM Execution')).toBe(2 * PER_WRITER);
    expect(count('SELECT count(*) AS n FROM Execution WHERE last_known_state = 3')).toBe(2 * PER_WRITER);
    expect(count('SELECT count(*) AS n FROM Artifact')).toBe(2 * PER_WRITER);
    expect(count('SELECT count(*) AS n FROM Event WHERE type = 3')).toBe(2 * PER_WRITER);
    expect(count("SELECT count(*) AS n FROM ExecutionProperty WHERE name = 'cache_fingerprint'")).toBe(2 * PER_WRITER);
    // Both opened the new file, and created types and the shared pipeline context, at the same moment; each exists once.
    expect(db.prepare('SELECT schema_version FROM MLMDEnv').all()).toEqual([{ schema_version: 10 }]);
    expect(count("SELECT count(*) AS n FROM Type WHERE name LIKE 'mlmd.%' AND id <= 9")).toBe(9);
    expect(count("SELECT count(*) AS n FROM Type WHERE name = 'system.ContainerExecution'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM Context WHERE name = 'concurrent'")).toBe(1);
    const pipeline = db.prepare("SELECT id FROM Context WHERE name = 'concurrent'").get() as { id: number };
    expect(count('SELECT count(*) AS n FROM Association WHERE context_id = ?', pipeline.id)).toBe(2 * PER_WRITER);
    expect(count('SELECT count(*) AS n FROM ParentContext')).toBe(2);
  } finally {
    db.close();
  }
}, 180_000);

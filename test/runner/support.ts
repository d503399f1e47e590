import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { compilePipeline, type CompileTarget } from '../../compiler';
import { runPipeline, type RunPipelineOptions, type RunResult } from '../../runner/run-pipeline';

/** A fresh folder for one test's outputs and metadata store. */
export function tempWorkspace(prefix = 'kfp-ts-runner-'): { root: string; pipelineRoot: string; metadataFile: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { root, pipelineRoot: path.join(root, 'outputs'), metadataFile: path.join(root, 'metadata.sqlite') };
}

/** Compiles a pipeline and runs the IR (never the TS objects), as `kfp-ts run` does. */
export function run(
  pipeline: CompileTarget,
  workspace: { pipelineRoot: string; metadataFile: string },
  options: RunPipelineOptions = {},
): Promise<RunResult> {
  return runPipeline(compilePipeline(pipeline), {
    pipelineRoot: workspace.pipelineRoot,
    metadataFile: workspace.metadataFile,
    parallelism: 4,
    ...options,
  });
}

/** Plain SQL over the store, as an independent check would read it. */
export function query<T = Record<string, unknown>>(metadataFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(metadataFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Execution rows of one run, by task path, with their type and state. */
export function executionsOfRun(metadataFile: string, runId: string): { path: string; type: string; state: number; id: number }[] {
  return query(
    metadataFile,
    `SELECT e.id AS id, t.name AS type, e.last_known_state AS state, p.string_value AS path
       FROM Execution e
       JOIN Type t ON t.id = e.type_id
       JOIN Association a ON a.execution_id = e.id
       JOIN Context c ON c.id = a.context_id AND c.name = ?
       JOIN Type ct ON ct.id = c.type_id AND ct.name = 'system.PipelineRun'
       LEFT JOIN ExecutionProperty p ON p.execution_id = e.id AND p.name = 'kfp_ts_task_path'
      ORDER BY e.id`,
    runId,
  );
}

/** Polls until `condition` holds; rejects after `timeoutMs` (generous: CI machines are slow). */
export function waitFor(condition: () => boolean, timeoutMs: number, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 50);
    };
    poll();
  });
}

/** Whether a process runs: exists and is not a zombie (an orphan whose reaper has not yet run is dead). */
export function processAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    if (fs.existsSync('/proc/self/stat')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pids the cancellable fixture's long task wrote, once both processes run. */
export async function longTaskPids(pidDir: string, timeoutMs = 60_000): Promise<{ shell: number; child: number }> {
  const childFile = path.join(pidDir, 'child.pid');
  await waitFor(() => fs.existsSync(childFile), timeoutMs, `${childFile}`);
  return { shell: Number(fs.readFileSync(path.join(pidDir, 'shell.pid'), 'utf8')), child: Number(fs.readFileSync(childFile, 'utf8')) };
}

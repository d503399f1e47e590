/**
 * Files the runner keeps beside a run's outputs for readers of the run (the `kfp-ts ui` viewer):
 * the compiled IR it ran, and each container task's resolved command line. ML Metadata holds what
 * happened (executions, artifacts, events) but not the DAG's shape nor the command, as in KFP, where
 * both live in the PipelineJob and the pod spec rather than in MLMD.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';

/** `<run root>/pipeline_spec.json`: the IR of the run, as the runner executed it. */
export const RUN_SPEC_FILE = 'pipeline_spec.json';

/** `<task folder>/kfp_ts_command.json`: `{ command: string[], attempt: number }`, the last attempt's argv. */
export const TASK_COMMAND_FILE = 'kfp_ts_command.json';

export interface TaskCommandRecord {
  readonly command: readonly string[];
  /** 1 for the first try; above 1 after retries (the task's retryPolicy). */
  readonly attempt: number;
}

export function writeRunSpec(runRoot: string, spec: IrPipelineSpec): void {
  fs.mkdirSync(runRoot, { recursive: true });
  fs.writeFileSync(path.join(runRoot, RUN_SPEC_FILE), JSON.stringify(spec));
}

export function writeTaskCommand(taskDir: string, record: TaskCommandRecord): void {
  fs.writeFileSync(path.join(taskDir, TASK_COMMAND_FILE), JSON.stringify(record));
}

/** kfp-ts's local runner: runs compiled IR on this machine with caching and ML Metadata lineage. */
export { runPipeline, defaultLocalFolder } from './run-pipeline';
export type { RunPipelineOptions, RunResult } from './run-pipeline';
export type { ProgressReporter, TaskEvent, TaskSummary, RunSummary } from './progress';
export { silentReporter } from './progress';
export { RunParameterError } from './run-parameters';
export { ResumeError } from './resume';
export type { LocalLauncher, LocalLaunch } from './local-launchers';

/** Helpers for testing a team's steps and pipelines. */
export { runStep } from './run-step';
export type { StepResult, StepArtifact, StepInputArtifact } from './run-step';
export { PipelineServiceEmulator } from '../vertex/emulator/pipeline-service-emulator';
export type { EmulatorOptions, RecordedCall } from '../vertex/emulator/pipeline-service-emulator';

import type { Command } from './sub-command';

/** A sub-command as `kfp-ts --help` lists it; its module (and what that loads) is required only when it runs. */
export interface CommandEntry {
  readonly name: string;
  /** One line for `kfp-ts --help`. */
  readonly summary: string;
  load(): Command;
}

// Loaded on use: start-up pays only for the command that runs (loading every command's modules,
// the compiler, the runner and the Vertex client, took `kfp-ts --help` from about 100 ms to 260 ms).
/** Every sub-command, in the order `kfp-ts --help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'make a new kfp-ts project (steps, pipeline, tests, Dockerfile, CI)',
    load: () => (require('./commands/init') as typeof import('./commands/init')).initCommand,
  },
  {
    name: 'compile',
    summary: 'compile a TypeScript pipeline to KFP IR (JSON or YAML)',
    load: () => (require('./commands/compile') as typeof import('./commands/compile')).compileCommand,
  },
  {
    name: 'validate',
    summary: 'check compiled pipeline IR files (JSON or YAML) against the PipelineSpec schema',
    load: () => (require('./commands/validate') as typeof import('./commands/validate')).validateCommand,
  },
  {
    name: 'types',
    summary: 'write a typed TypeScript wrapper for a component YAML file (KFP v1 or compiled IR)',
    load: () => (require('./commands/types') as typeof import('./commands/types')).typesCommand,
  },
  {
    name: 'run',
    summary: 'run a pipeline locally (caching, lineage, resume)',
    load: () => (require('./commands/run') as typeof import('./commands/run')).runCommand,
  },
  {
    name: 'runs',
    summary: 'list local runs',
    load: () => (require('./commands/history') as typeof import('./commands/history')).runsCommand,
  },
  {
    name: 'run-info',
    summary: 'show one run: parameters, tasks, outputs',
    load: () => (require('./commands/history') as typeof import('./commands/history')).runInfoCommand,
  },
  {
    name: 'lineage',
    summary: 'what produced an artifact, from what, and what consumed it',
    load: () => (require('./commands/history') as typeof import('./commands/history')).lineageCommand,
  },
  {
    name: 'ui',
    summary: 'browse local runs, tasks, artifacts, lineage and endpoints in a web app',
    load: () => (require('./commands/ui') as typeof import('./commands/ui')).uiCommand,
  },
  {
    name: 'endpoints',
    summary: 'list local endpoints, or roll one back to an earlier model version',
    load: () => (require('./commands/endpoints') as typeof import('./commands/endpoints')).endpointsCommand,
  },
  {
    name: 'serve',
    summary: 'serve the local endpoints with the Vertex AI predict API',
    load: () => (require('./commands/serve') as typeof import('./commands/serve')).serveCommand,
  },
  {
    name: 'build',
    summary: "build (and push) the project's images, tagged with the hash of their sources",
    load: () => (require('./commands/build') as typeof import('./commands/build')).buildCommand,
  },
  {
    name: 'submit',
    summary: 'submit a pipeline to Vertex AI Pipelines (optionally --wait for it)',
    load: () => (require('./commands/submit') as typeof import('./commands/submit')).submitCommand,
  },
  {
    name: 'jobs',
    summary: 'list, show or cancel Vertex AI pipeline jobs',
    load: () => (require('./commands/jobs') as typeof import('./commands/jobs')).jobsCommand,
  },
  {
    name: 'emulator',
    summary: 'serve a local Vertex AI PipelineService that runs jobs with the local runner',
    load: () => (require('./commands/emulator') as typeof import('./commands/emulator')).emulatorCommand,
  },
  {
    name: 'exec-component',
    summary: "run a containerized function component's implementation (used by compiled pipelines)",
    load: () => (require('./commands/exec-component') as typeof import('./commands/exec-component')).execComponentCommand,
  },
];

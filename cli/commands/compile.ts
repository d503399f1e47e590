import * as path from 'node:path';
import { compilePipeline } from '../../compiler/synth/compile-pipeline';
import { DslUsageError, PipelineValidationError } from '../../compiler/dsl/errors';
import { toPipelineJson, toPipelineYaml } from '../../compiler/write-ir';
import { InvalidIrError } from '../../compiler/ir/validate-pipeline-spec';
import { UsageError, type Command } from '../command';
import { loadPipelineModule, PipelineModuleError } from '../load-pipeline-module';
import { parseArgs } from '../parse-args';
import { reportPipelineProblems } from '../report-problems';
import { OutputFileError, writeOutputFile } from '../write-output-file';
import { PROJECT_OPTION_NAMES, projectOptionsFor, projectValues } from '../project-options';
import { ConfigError } from '../../project/config-error';
import { ImageConfigurationError } from '../../containers/images';
import type { PackagedStepReport } from '../../compiler/synth/package-steps';
import { formatBytes } from '../../compiler/step-packaging/step-container';
import type { CommandIo } from '../command';

const usage = `Usage: kfp-ts compile <pipeline.ts> [-o out.json|out.yaml] [--export NAME]

Compiles a pipeline written with kfp-ts to KFP IR (PipelineSpec 2.1.0), checked against the
PipelineSpec JSON Schema before it is written.

  -o, --output FILE   write to FILE; .json gives JSON, .yaml/.yml YAML (default: YAML on stdout)
  --export NAME       the exported pipeline to compile (default: the default export, or the only one)
  --config FILE       the project's kfp-ts.config.ts (default: the first one found going up from
                      the pipeline file to its package.json)
  --registry PATH     push path of the project's images, overriding the configuration's

Function components are packaged here: lightweight steps are bundled (their sizes are printed),
containerized steps get the project image's content-hash tag.
`;

export const compileCommand: Command = {
  name: 'compile',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: { output: ['-o', '--output'], export: ['--export'], ...PROJECT_OPTION_NAMES } });
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('missing the pipeline file');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const output = args.values['output'];
    if (output !== undefined && !/\.(json|ya?ml)$/.test(output)) {
      throw new UsageError(`output file '${output}' must end in .json, .yaml or .yml`);
    }
    try {
      const project = projectOptionsFor(file, projectValues(args.values), io.cwd);
      const { target } = loadPipelineModule(path.resolve(io.cwd, file), args.values['export']);
      const spec = compilePipeline(target, { ...project.compile, onStepsPackaged: (steps) => reportSteps(steps, io) });
      const text = output?.endsWith('.json') ? toPipelineJson(spec) : toPipelineYaml(spec, target.definition.description);
      if (output === undefined) {
        io.stdout(text);
      } else {
        writeOutputFile(path.resolve(io.cwd, output), text);
        io.stderr(`Compiled ${file} → ${output} (${Object.keys(spec.root.dag?.tasks ?? {}).length} tasks in root)\n`);
      }
      return 0;
    } catch (error) {
      if (error instanceof PipelineValidationError) {
        reportPipelineProblems(io, 'compile', file, error);
        return 1;
      }
      if (
        error instanceof PipelineModuleError ||
        error instanceof DslUsageError ||
        error instanceof InvalidIrError ||
        error instanceof OutputFileError ||
        error instanceof ConfigError ||
        error instanceof ImageConfigurationError
      ) {
        io.stderr(`kfp-ts compile: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

/** One line per function component on stderr, so the bundle sizes that travel in the job request are seen. */
function reportSteps(steps: readonly PackagedStepReport[], io: CommandIo): void {
  for (const step of steps) {
    const what = step.packaging === 'lightweight' ? `lightweight, bundle ${formatBytes(step.bundleBytes ?? 0)}` : 'containerized';
    io.stderr(`  step ${step.component}: ${what}, image ${step.image}\n`);
  }
}

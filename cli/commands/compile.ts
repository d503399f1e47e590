import * as path from 'node:path';
import { UsageError, type Command } from '../sub-command';
import { LOAD_TIMEOUT_OPTION_NAMES, LOAD_TIMEOUT_USAGE, loadPipelineFile, pipelineFileOptions } from '../load-pipeline-in-worker';
import { parseArgs } from '../parse-args';
import { writeOutputFile } from '../write-output-file';
import { PROJECT_OPTION_NAMES } from '../project-options';
import type { PackagedStepReport } from '../../compiler/synth/package-steps';
import { formatBytes } from '../../compiler/step-packaging/step-container';
import type { CommandIo } from '../sub-command';

const usage = `Usage: kfp-ts compile <pipeline.ts> [-o out.json|out.yaml] [--export NAME]

Compiles a pipeline written with kfp-ts to KFP IR (PipelineSpec 2.1.0), checked against the
PipelineSpec JSON Schema before it is written.

  -o, --output FILE   write to FILE; .json gives JSON, .yaml/.yml YAML (default: YAML on stdout)
  --export NAME       the exported pipeline to compile (default: the default export, or the only one)
  --config FILE       the project's kfp-ts.config.ts (default: the first one found going up from
                      the pipeline file to its package.json)
  --registry PATH     push path of the project's images, overriding the configuration's
${LOAD_TIMEOUT_USAGE}

Function components are packaged here: lightweight steps are bundled (their sizes are printed),
containerized steps get the project image's content-hash tag.
`;

export const compileCommand: Command = {
  name: 'compile',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: { output: ['-o', '--output'], export: ['--export'], ...PROJECT_OPTION_NAMES, ...LOAD_TIMEOUT_OPTION_NAMES },
    });
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('missing the pipeline file');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const output = args.values['output'];
    if (output !== undefined && !/\.(json|ya?ml)$/.test(output)) {
      throw new UsageError(`output file '${output}' must end in .json, .yaml or .yml`);
    }
    const loaded = await loadPipelineFile({
      file,
      cwd: io.cwd,
      format: output?.endsWith('.json') ? 'json' : 'yaml',
      output: io.stderr,
      ...pipelineFileOptions(args.values),
    });
    reportSteps(loaded.steps, io);
    const text = loaded.text!;
    if (output === undefined) {
      io.stdout(text);
    } else {
      writeOutputFile(path.resolve(io.cwd, output), text);
      io.stderr(`Compiled ${file} → ${output} (${Object.keys(loaded.spec.root.dag?.tasks ?? {}).length} tasks in root)\n`);
    }
    return 0;
  },
};

/** One line per function component on stderr, so the bundle sizes that travel in the job request are seen. */
function reportSteps(steps: readonly PackagedStepReport[], io: CommandIo): void {
  for (const step of steps) {
    const what = step.packaging === 'lightweight' ? `lightweight, bundle ${formatBytes(step.bundleBytes ?? 0)}` : 'containerized';
    io.stderr(`  step ${step.component}: ${what}, image ${step.image}\n`);
  }
}

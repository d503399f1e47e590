import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePipeline } from '../../compiler/synth/compile-pipeline';
import { DslUsageError, PipelineValidationError } from '../../compiler/dsl/errors';
import { toPipelineJson, toPipelineYaml } from '../../compiler/write-ir';
import { InvalidIrError } from '../../compiler/ir/validate-pipeline-spec';
import { UsageError, type Command } from '../command';
import { loadPipelineModule, PipelineModuleError } from '../load-pipeline-module';
import { parseArgs } from '../parse-args';
import { reportPipelineProblems } from '../report-problems';

const usage = `Usage: kfp-ts compile <pipeline.ts> [-o out.json|out.yaml] [--export NAME]

Compiles a pipeline written with kfp-ts to KFP IR (PipelineSpec 2.1.0), checked against the
PipelineSpec JSON Schema before it is written.

  -o, --output FILE   write to FILE; .json gives JSON, .yaml/.yml YAML (default: YAML on stdout)
  --export NAME       the exported pipeline to compile (default: the default export, or the only one)
`;

export const compileCommand: Command = {
  name: 'compile',
  summary: 'compile a TypeScript pipeline to KFP IR (JSON or YAML)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: { output: ['-o', '--output'], export: ['--export'] } });
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('missing the pipeline file');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const output = args.values['output'];
    if (output !== undefined && !/\.(json|ya?ml)$/.test(output)) {
      throw new UsageError(`output file '${output}' must end in .json, .yaml or .yml`);
    }
    try {
      const { target } = loadPipelineModule(path.resolve(io.cwd, file), args.values['export']);
      const spec = compilePipeline(target);
      const text = output?.endsWith('.json') ? toPipelineJson(spec) : toPipelineYaml(spec, target.definition.description);
      if (output === undefined) {
        io.stdout(text);
      } else {
        fs.writeFileSync(path.resolve(io.cwd, output), text);
        io.stderr(`Compiled ${file} → ${output} (${Object.keys(spec.root.dag?.tasks ?? {}).length} tasks in root)\n`);
      }
      return 0;
    } catch (error) {
      if (error instanceof PipelineValidationError) {
        reportPipelineProblems(io, 'compile', file, error);
        return 1;
      }
      if (error instanceof PipelineModuleError || error instanceof DslUsageError || error instanceof InvalidIrError) {
        io.stderr(`kfp-ts compile: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

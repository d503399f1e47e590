/**
 * One benchmark sample, run in its own process so that peak memory is this size's alone: builds a
 * chain of N tasks of one component (each consuming the previous output, as in the reference's
 * measurement), compiles it, writes YAML, checks the schema (as `kfp-ts compile` does), and prints
 * the phase timings as JSON.
 */
import { performance } from 'node:perf_hooks';
import { compilePipeline, pipeline, t, toPipelineYaml } from '../compiler';
import { validatePipelineSpec } from '../compiler/ir/validate-pipeline-spec';
import { pythonFunctionComponent } from '../test/conformance/support/python-function';

const size = Number(process.argv[2]);
const started = performance.now();

// The reference's component: `add_one(x: int) -> int`, a Python function component.
const addOne = pythonFunctionComponent({
  name: 'add_one',
  inputs: { x: t.int() },
  outputs: { Output: t.int() },
  functionName: 'add_one',
  source: '\ndef add_one(x: int) -> int:\n    return x + 1\n\n',
});

const chain = pipeline({ name: `chain-${size}`, params: { x: t.int({ default: 0 }) } }, ({ x }) => {
  let previous = addOne({ x });
  for (let i = 1; i < size; i++) previous = addOne({ x: previous.outputs.Output });
  return { result: previous.outputs.Output };
});
const built = performance.now();
const spec = compilePipeline(chain, { checkSchema: false });
const compiled = performance.now();
const yaml = toPipelineYaml(spec);
const written = performance.now();
const problems = validatePipelineSpec(spec);
const validated = performance.now();

process.stdout.write(
  JSON.stringify({
    size,
    buildMs: built - started,
    compileMs: compiled - built,
    yamlMs: written - compiled,
    schemaCheckMs: validated - written,
    yamlBytes: Buffer.byteLength(yaml),
    yamlLines: yaml.split('\n').length - 1,
    schemaProblems: problems.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);

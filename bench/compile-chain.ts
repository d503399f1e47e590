/**
 * One benchmark sample, run in its own process so that peak memory is this size's alone. Shape
 * `chain`: N tasks of one component, each consuming the previous output (the reference's own
 * measurement). Shape `nested`: about N tasks in blocks of a ParallelFor holding an If/Else inside
 * an If, consuming values across the scopes. Builds, compiles, writes YAML, checks the schema (as
 * `kfp-ts compile` does) and prints the phase timings as JSON.
 */
import { performance } from 'node:perf_hooks';
import { If, ParallelFor, compilePipeline, pipeline, t, toPipelineYaml } from '../compiler';
import { validatePipelineSpec } from '../compiler/ir/validate-pipeline-spec';
import { pythonFunctionComponent } from '../test/conformance/support/python-function';

const shape = process.argv[2] as 'chain' | 'nested';
const size = Number(process.argv[3]);
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

const tasksPerBlock = 5;
const nested = () =>
  pipeline({ name: `nested-${size}`, params: { x: t.int({ default: 0 }), limit: t.int({ default: 10 }) } }, ({ x, limit }) => {
    let previous = addOne({ x });
    for (let block = 0; block < Math.max(1, Math.floor(size / tasksPerBlock)); block++) {
      const seed = previous;
      ParallelFor([1, 2, 3], (item) => {
        const first = addOne({ x: item });
        If(first.outputs.Output.gt(seed.outputs.Output), () => {
          const second = addOne({ x: first.outputs.Output });
          If(second.outputs.Output.lt(limit), () => {
            addOne({ x: second.outputs.Output });
          }).Else(() => {
            addOne({ x: limit });
          });
        });
      });
      previous = addOne({ x: seed.outputs.Output });
    }
    return { result: previous.outputs.Output };
  });

const target = shape === 'nested' ? nested() : chain;
const built = performance.now();
const spec = compilePipeline(target, { checkSchema: false });
const compiled = performance.now();
const yaml = toPipelineYaml(spec);
const written = performance.now();
const problems = validatePipelineSpec(spec);
const validated = performance.now();

const countTasks = (tasks: Record<string, { componentRef: { name: string } }>): number =>
  Object.values(tasks).reduce((n, task) => {
    const component = spec.components?.[task.componentRef.name];
    return n + (component?.dag ? countTasks(component.dag.tasks) : 1);
  }, 0);

process.stdout.write(
  JSON.stringify({
    size,
    tasks: countTasks(spec.root.dag!.tasks),
    buildMs: built - started,
    compileMs: compiled - built,
    yamlMs: written - compiled,
    schemaCheckMs: validated - written,
    yamlBytes: Buffer.byteLength(yaml),
    schemaProblems: problems.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);

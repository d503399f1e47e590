/**
 * The container executor's env: the reference keeps a task's env as a dict (set_env_variable
 * assigns `env[name] = value`), so a name set twice gives one entry, with the last value, at the
 * position where the name was first set; a loaded component's own env is updated the same way.
 */
import { compilePipeline, containerComponent, pipeline } from '../../../compiler';
import { makeComponent } from '../../../compiler/dsl/component';
import { CallSite } from '../../../compiler/dsl/source-location';

const run = containerComponent({ name: 'run', image: 'runner:1' });
const envOf = (spec: ReturnType<typeof compilePipeline>, executor: string) => spec.deploymentSpec!.executors[executor]!.container!.env;

describe('container env', () => {
  it('keeps one entry per name: the last value, at the first position', () => {
    const spec = compilePipeline(
      pipeline({ name: 'env-twice' }, () => {
        run().setEnv('MODE', 'slow').setEnv('SEED', '1').setEnv('MODE', 'fast').setEnv('LOG', 'debug').setEnv('SEED', '2');
      }),
    );
    expect(envOf(spec, 'exec-run')).toEqual([
      { name: 'MODE', value: 'fast' },
      { name: 'SEED', value: '2' },
      { name: 'LOG', value: 'debug' },
    ]);
  });

  it("updates a loaded component's env in place rather than adding a second entry", () => {
    const loaded = makeComponent<{}, {}>({
      name: 'loaded',
      inputs: {},
      outputs: {},
      implementation: {
        kind: 'container',
        image: 'loaded:1',
        command: [],
        args: [],
        preset: {
          env: [
            { name: 'A', value: 'from-yaml' },
            { name: 'B', value: 'from-yaml' },
          ],
        },
      },
      callSite: new CallSite(),
    });
    const spec = compilePipeline(pipeline({ name: 'env-loaded' }, () => void loaded().setEnv('C', 'task').setEnv('A', 'task')));
    expect(envOf(spec, 'exec-loaded')).toEqual([
      { name: 'A', value: 'task' },
      { name: 'B', value: 'from-yaml' },
      { name: 'C', value: 'task' },
    ]);
  });
});

/**
 * Resource settings (CPU, memory, accelerator) read from pipeline parameters, task outputs or loop
 * items on tasks inside If, ParallelFor and ExitHandler: the value is threaded into every enclosing
 * sub-DAG as a `pipelinechannel--…` input, like any argument, and the task's resource fields read
 * that input, as the reference compiles them at the root (pipeline_with_string_machine_fields_*).
 */
import * as fs from 'node:fs';
import { ExitHandler, If, ParallelFor, PipelineValidationError, compilePipeline, containerComponent, pipeline, t } from '../../../compiler';

const echo = containerComponent({ name: 'echo', inputs: { msg: t.string() }, image: 'echo:1' });
const pickCpu = containerComponent({ name: 'pick-cpu', outputs: { Output: t.string() }, image: 'pick:1' });
const notify = containerComponent({ name: 'notify', inputs: { status: t.taskFinalStatus() }, image: 'notify:1' });

const P = (name: string) => `{{$.inputs.parameters['${name}']}}`;
const thread = (name: string) => ({ componentInputParameter: name });
const asText = (name: string) => ({ runtimeValue: { constant: P(name) } });

describe('resources from run-time values inside control flow', () => {
  it('threads pipeline parameters through an If into the task, for CPU, memory and the accelerator', () => {
    const spec = compilePipeline(
      pipeline(
        {
          name: 'in-if',
          params: { cpu: t.string({ default: '4' }), memory: t.string(), gpu: t.string(), count: t.string(), go: t.bool() },
        },
        (p) => {
          If(p.go.eq(true), () => {
            echo({ msg: 'hi' }).setCpuLimit(p.cpu).setMemoryRequest(p.memory).setAccelerator(p.gpu, p.count);
          });
        },
      ),
    );
    const names = ['cpu', 'memory', 'gpu', 'count'];
    expect(spec.root.dag!.tasks['condition-1']!.inputs!.parameters).toEqual({
      'pipelinechannel--go': thread('go'),
      ...Object.fromEntries(names.map((n) => [`pipelinechannel--${n}`, thread(n)])),
    });
    const condition = spec.components!['comp-condition-1']!;
    expect(Object.keys(condition.inputDefinitions!.parameters!).sort()).toEqual(
      ['count', 'cpu', 'go', 'gpu', 'memory'].map((n) => `pipelinechannel--${n}`),
    );
    expect(condition.dag!.tasks['echo']!.inputs!.parameters).toEqual({
      msg: { runtimeValue: { constant: 'hi' } },
      cpu_limit: asText('pipelinechannel--cpu'),
      memory_request: asText('pipelinechannel--memory'),
      accelerator_type: asText('pipelinechannel--gpu'),
      accelerator_count: asText('pipelinechannel--count'),
      ...Object.fromEntries(names.map((n) => [`pipelinechannel--${n}`, thread(`pipelinechannel--${n}`)])),
    });
    expect(spec.deploymentSpec!.executors['exec-echo']!.container!.resources).toEqual({
      resourceCpuLimit: P('pipelinechannel--cpu'),
      resourceMemoryRequest: P('pipelinechannel--memory'),
      accelerator: { resourceCount: P('pipelinechannel--count'), resourceType: P('pipelinechannel--gpu') },
    });
  });

  it('threads through nested groups (a ParallelFor in an If, an ExitHandler), and reads task outputs and loop items', () => {
    const spec = compilePipeline(
      pipeline({ name: 'nested', params: { memory: t.string({ default: '2G' }), go: t.string() } }, ({ memory, go }) => {
        const cpu = pickCpu();
        If(go.eq('yes'), () => {
          ParallelFor(['NVIDIA_L4', 'NVIDIA_TESLA_T4'], (gpu) => {
            echo({ msg: 'a' }).setMemoryLimit(memory).setCpuLimit(cpu.outputs.Output).setAcceleratorType(gpu);
          });
        });
        ExitHandler(notify(), () => {
          echo({ msg: 'b' }).setMemoryLimit(memory);
        });
      }),
    );
    const components = spec.components!;
    expect(spec.root.dag!.tasks['condition-1']!.inputs!.parameters!['pipelinechannel--pick-cpu-Output']).toEqual({
      taskOutputParameter: { producerTask: 'pick-cpu', outputParameterKey: 'Output' },
    });
    for (const group of ['comp-condition-1', 'comp-for-loop-3']) {
      expect(components[group]!.inputDefinitions!.parameters).toMatchObject({
        'pipelinechannel--memory': { parameterType: 'STRING' },
        'pipelinechannel--pick-cpu-Output': { parameterType: 'STRING' },
      });
    }
    expect(components['comp-condition-1']!.dag!.tasks['for-loop-3']!.inputs!.parameters).toMatchObject({
      'pipelinechannel--memory': thread('pipelinechannel--memory'),
      'pipelinechannel--pick-cpu-Output': thread('pipelinechannel--pick-cpu-Output'),
    });
    expect(components['comp-for-loop-3']!.dag!.tasks['echo']!.inputs!.parameters).toMatchObject({
      accelerator_type: asText('pipelinechannel--loop-item-param-2'),
      'pipelinechannel--loop-item-param-2': thread('pipelinechannel--loop-item-param-2'),
      'pipelinechannel--pick-cpu-Output': thread('pipelinechannel--pick-cpu-Output'),
    });
    expect(spec.root.dag!.tasks['exit-handler-4']!.inputs!.parameters).toEqual({ 'pipelinechannel--memory': thread('memory') });
    expect(components['comp-exit-handler-4']!.dag!.tasks['echo-2']!.inputs!.parameters!['memory_limit']).toEqual(
      asText('pipelinechannel--memory'),
    );
  });

  it('adds no dependentTasks entry for a value read only by a resource setting, as the reference does at the root', () => {
    const spec = compilePipeline(
      pipeline({ name: 'no-edge' }, () => {
        const cpu = pickCpu();
        echo({ msg: 'x' }).setCpuLimit(cpu.outputs.Output);
      }),
    );
    expect(spec.root.dag!.tasks['echo']!.dependentTasks).toBeUndefined();
    expect(spec.root.dag!.tasks['echo']!.inputs!.parameters!['pipelinechannel--pick-cpu-Output']).toEqual({
      taskOutputParameter: { producerTask: 'pick-cpu', outputParameterKey: 'Output' },
    });
  });

  it('reports a resource read from a task inside a branch it is not in, with the reading task and its line', () => {
    let error: unknown;
    try {
      compilePipeline(
        pipeline({ name: 'across', params: { go: t.string() } }, ({ go }) => {
          let cpu: ReturnType<typeof pickCpu> | undefined;
          If(go.eq('yes'), () => {
            cpu = pickCpu();
          });
          echo({ msg: 'x' }).setCpuLimit(cpu!.outputs.Output); // the reading line
        }),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PipelineValidationError);
    const [problem, ...others] = (error as PipelineValidationError).problems;
    expect(others).toEqual([]);
    expect(problem).toMatchObject({
      path: 'across/echo',
      location: { file: __filename },
      message:
        "depends on task 'pick-cpu' inside If/Elif/Else branch 'condition-1', which it is not in (illegal dependency across control-flow scopes)",
    });
    const line =
      fs
        .readFileSync(__filename, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('// the reading line')) + 1;
    expect(problem!.location!.line).toBe(line);
  });
});

import {
  ComponentLoadError,
  Dataset,
  Model,
  VertexModel,
  compilePipeline,
  containerComponent,
  fmt,
  importer,
  loadComponentFromText,
  pipeline,
  t,
  toPipelineYaml,
} from '../../../compiler';

const produce = containerComponent({
  name: 'Produce Data',
  inputs: { rows: t.int({ default: 5 }) },
  outputs: { data: Dataset, count: t.int(), uri: t.string() },
  image: 'producer:1',
  command: ({ inputs, outputs }) => ['produce', inputs.rows, outputs.data.path, outputs.count.path],
});
const train = containerComponent({
  name: 'train',
  inputs: { data: Dataset, epochs: t.int(), note: t.string({ optional: true }) },
  outputs: { model: Model },
  image: 'trainer:1',
  args: ({ inputs, outputs }) => [`--epochs=${inputs.epochs}`, inputs.data.uri, outputs.model.uri],
});

describe('compilePipeline', () => {
  it('applies task settings to the task and its own executor', () => {
    const spec = compilePipeline(
      pipeline({ name: 'settings' }, () => {
        const data = produce().setCaching(false);
        train({ data: data.outputs.data, epochs: 3 })
          .setDisplayName('Train on GPU')
          .setCacheKey('v2')
          .setRetry({ maxRetries: 4, backoffDuration: '30s' })
          .setAccelerator('NVIDIA_H100_80GB', 2)
          .setCpuLimit('8')
          .setMemoryLimit('64Gi')
          .setCpuRequest('500m')
          .setEnv('MODE', 'fast')
          .setImage('trainer:gpu');
      }),
    );
    const tasks = spec.root.dag!.tasks;
    expect(tasks['produce-data']!.cachingOptions).toEqual({});
    expect(tasks['train']).toEqual({
      cachingOptions: { enableCache: true, cacheKey: 'v2' },
      componentRef: { name: 'comp-train' },
      dependentTasks: ['produce-data'],
      inputs: {
        artifacts: { data: { taskOutputArtifact: { producerTask: 'produce-data', outputArtifactKey: 'data' } } },
        parameters: { epochs: { runtimeValue: { constant: 3 } } },
      },
      retryPolicy: { backoffDuration: '30s', backoffFactor: 2, backoffMaxDuration: '3600s', maxRetryCount: 4 },
      taskInfo: { name: 'Train on GPU' },
    });
    expect(spec.deploymentSpec!.executors['exec-train']!.container).toEqual({
      args: ["--epochs={{$.inputs.parameters['epochs']}}", "{{$.inputs.artifacts['data'].uri}}", "{{$.outputs.artifacts['model'].uri}}"],
      env: [{ name: 'MODE', value: 'fast' }],
      image: 'trainer:gpu',
      resources: {
        accelerator: { count: '2', resourceCount: '2', resourceType: 'NVIDIA_H100_80GB', type: 'NVIDIA_H100_80GB' },
        cpuLimit: 8,
        cpuRequest: 0.5,
        memoryLimit: 68.719476736,
        resourceCpuLimit: '8',
        resourceCpuRequest: '500m',
        resourceMemoryLimit: '64Gi',
      },
    });
  });

  it('names repeated components and tasks with -2, -3 and gives each task its own executor', () => {
    const spec = compilePipeline(
      pipeline({ name: 'repeats' }, () => {
        const first = produce({ rows: 1 });
        produce({ rows: 2 }).after(first);
        produce({ rows: 3 });
      }),
    );
    expect(Object.keys(spec.root.dag!.tasks)).toEqual(['produce-data', 'produce-data-2', 'produce-data-3']);
    expect(Object.keys(spec.components!)).toEqual(['comp-produce-data', 'comp-produce-data-2', 'comp-produce-data-3']);
    expect(Object.keys(spec.deploymentSpec!.executors)).toEqual(['exec-produce-data', 'exec-produce-data-2', 'exec-produce-data-3']);
    expect(spec.root.dag!.tasks['produce-data-2']!.dependentTasks).toEqual(['produce-data']);
  });

  it('threads fmt strings and resource parameters in as pipelinechannel inputs', () => {
    const spec = compilePipeline(
      pipeline({ name: 'threading', params: { gpu: t.string({ default: 'NVIDIA_L4' }) } }, ({ gpu }) => {
        const data = produce();
        train({ data: data.outputs.data, epochs: 1, note: fmt`rows=${data.outputs.count} on ${gpu}` }).setAcceleratorType(gpu);
      }),
    );
    const task = spec.root.dag!.tasks['train']!;
    expect(task.inputs!.parameters).toEqual({
      accelerator_type: { runtimeValue: { constant: "{{$.inputs.parameters['pipelinechannel--gpu']}}" } },
      epochs: { runtimeValue: { constant: 1 } },
      note: {
        runtimeValue: {
          constant:
            "rows={{$.inputs.parameters['pipelinechannel--produce-data-count']}} on {{$.inputs.parameters['pipelinechannel--gpu']}}",
        },
      },
      'pipelinechannel--gpu': { componentInputParameter: 'gpu' },
      'pipelinechannel--produce-data-count': { taskOutputParameter: { producerTask: 'produce-data', outputParameterKey: 'count' } },
    });
    expect(spec.deploymentSpec!.executors['exec-train']!.container!.resources).toEqual({
      accelerator: { resourceCount: '1', resourceType: "{{$.inputs.parameters['pipelinechannel--gpu']}}" },
    });
  });

  it('compiles an importer with a run-time URI and channel metadata', () => {
    const spec = compilePipeline(
      pipeline({ name: 'imports' }, () => {
        const data = produce();
        const model = importer({
          artifactUri: data.outputs.uri,
          artifactClass: VertexModel,
          reimport: true,
          metadata: { rows: data.outputs.count, note: 'fixed' },
        });
        train({ data: data.outputs.data, epochs: 1 }).after(model);
      }),
    );
    expect(spec.deploymentSpec!.executors['exec-importer']).toEqual({
      importer: {
        artifactUri: { runtimeParameter: 'uri' },
        metadata: { note: 'fixed', rows: "{{$.inputs.parameters['metadata']}}" },
        reimport: true,
        typeSchema: { schemaTitle: 'google.VertexModel', schemaVersion: '0.0.1' },
      },
    });
    expect(spec.components!['comp-importer']!.inputDefinitions).toEqual({
      parameters: { metadata: { parameterType: 'NUMBER_INTEGER' }, uri: { parameterType: 'STRING' } },
    });
    expect(spec.root.dag!.tasks['train']!.dependentTasks).toEqual(['importer', 'produce-data']);
  });

  it('compiles a single component as a one-task pipeline mirroring its signature', () => {
    const spec = compilePipeline(produce, { sdkVersion: 'kfp-2.15.2' });
    expect(spec.pipelineInfo).toEqual({ name: 'produce-data' });
    expect(spec.root.inputDefinitions).toEqual({
      parameters: { rows: { defaultValue: 5, isOptional: true, parameterType: 'NUMBER_INTEGER' } },
    });
    expect(spec.root.dag!.outputs).toEqual({
      artifacts: { data: { artifactSelectors: [{ outputArtifactKey: 'data', producerSubtask: 'produce-data' }] } },
      parameters: {
        count: { valueFromParameter: { outputParameterKey: 'count', producerSubtask: 'produce-data' } },
        uri: { valueFromParameter: { outputParameterKey: 'uri', producerSubtask: 'produce-data' } },
      },
    });
    expect(spec.sdkVersion).toBe('kfp-2.15.2');
  });

  it('loads a compiled component back and checks its inputs when the pipeline compiles', () => {
    const loaded = loadComponentFromText(toPipelineYaml(compilePipeline(train)));
    expect(Object.keys(loaded.definition.inputs)).toEqual(['epochs', 'note', 'data']);
    expect(loaded.definition.implementation).toMatchObject({ kind: 'container', image: 'trainer:1' });
    const untyped = loaded as unknown as (args: Record<string, unknown>) => unknown;
    expect(() =>
      compilePipeline(
        pipeline({ name: 'uses-loaded' }, () => {
          const data = produce();
          untyped({ data: data.outputs.count, epochs: 1 });
        }),
      ),
    ).toThrow(
      /\[uses-loaded\/train\] test\/compiler\/synth\/compile-pipeline\.test\.ts:\d+: input 'data': expects a system\.Dataset artifact, got an int from output 'count'/,
    );
  });

  it('rejects a loaded component with a type it cannot pass as a ComponentLoadError naming the output', () => {
    const spec = compilePipeline(train);
    spec.components!['comp-train']!.outputDefinitions = { parameters: { config: { parameterType: 'TASK_CONFIG' } } };
    const load = () => loadComponentFromText(JSON.stringify(spec), 'train.json');
    expect(load).toThrow(ComponentLoadError);
    expect(load).toThrow(
      /^train\.json: output 'config' has parameter type TASK_CONFIG, which kfp-ts cannot pass yet — use a component whose outputs are/,
    );
  });

  it('is deterministic: compiling twice gives identical YAML', () => {
    const build = () =>
      pipeline({ name: 'same', params: { n: t.int({ default: 2 }) } }, ({ n }) => {
        const data = produce({ rows: n });
        return { model: train({ data: data.outputs.data, epochs: n }).outputs.model };
      });
    expect(toPipelineYaml(compilePipeline(build()))).toBe(toPipelineYaml(compilePipeline(build())));
  });
});

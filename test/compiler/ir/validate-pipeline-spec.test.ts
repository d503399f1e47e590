import * as path from 'node:path';
import { loadIrFile } from '../../../compiler/ir/load-ir-file';
import { InvalidIrError, assertValidPipelineSpec, validatePipelineSpec, type IrProblem } from '../../../compiler/ir/validate-pipeline-spec';
import { goldensDir, listGoldenEntries } from '../../support/kfp-goldens';

const GOLDENS = goldensDir();
const goldenFiles = listGoldenEntries()
  .map((entry) => entry.file)
  .sort();

/** A fresh, mutable copy of a golden's PipelineSpec document (`any`: the tests mutate arbitrary corners of it). */
function golden(relative: string): any {
  return loadIrFile(path.join(GOLDENS, relative)).spec;
}

const PRODUCER_CONSUMER = 'pipelines/critical/producer_consumer_param_pipeline.yaml';
const ADD_NUMBERS = 'components/critical/add_numbers.yaml';
const FLIP_COIN = 'pipelines/critical/flip_coin.yaml';

function onlyProblem(problems: readonly IrProblem[]): IrProblem {
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

describe('goldens', () => {
  it('finds all 138 reference-compiler goldens', () => {
    expect(goldenFiles).toHaveLength(138);
  });

  it.each(goldenFiles)('%s is a valid PipelineSpec', (relative) => {
    const { spec, platformSpec } = loadIrFile(path.join(GOLDENS, relative));
    expect(validatePipelineSpec(spec)).toEqual([]);
    if (platformSpec !== undefined) {
      expect(Object.keys(platformSpec as object)).toEqual(['platforms']);
      expect(typeof (platformSpec as { platforms: unknown }).platforms).toBe('object');
    }
  });
});

describe('schema problems', () => {
  it('reports a misspelt field once, with the field it was meant to be', () => {
    const doc = golden(PRODUCER_CONSUMER);
    const task = doc.root.dag.tasks.consumer;
    task.cachingOption = task.cachingOptions;
    delete task.cachingOptions;

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe('root.dag.tasks.consumer.cachingOption');
    expect(problem.message).toMatch(
      /^unknown field 'cachingOption' \(a typo of 'cachingOptions'\? known fields: artifactIterator, cachingOptions, componentRef, /,
    );
  });

  it('does not add "missing required field" when the required field is only misspelt', () => {
    const doc = golden(PRODUCER_CONSUMER);
    const task = doc.root.dag.tasks.consumer;
    task.componentref = task.componentRef;
    delete task.componentRef;

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe('root.dag.tasks.consumer.componentref');
    expect(problem.message).toContain("a typo of 'componentRef'");
  });

  it('rejects snake_case proto names with the lowerCamelCase spelling to use', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.pipeline_info = doc.pipelineInfo;
    delete doc.pipelineInfo;

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe('pipeline_info');
    expect(problem.message).toContain("write the lowerCamelCase name 'pipelineInfo'");
  });

  it('lists the enum names for a wrong enum value and suggests the closest', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.components['comp-consumer'].inputDefinitions.parameters.input_value.parameterType = 'INTEGER';

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe("components['comp-consumer'].inputDefinitions.parameters.input_value.parameterType");
    expect(problem.message).toBe(
      `must be one of NUMBER_DOUBLE, NUMBER_INTEGER, STRING, BOOLEAN, LIST, STRUCT, TASK_FINAL_STATUS, TASK_CONFIG (got the string "INTEGER"; did you mean 'NUMBER_INTEGER'?)`,
    );
  });

  it('rejects an unknown trigger strategy', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.consumer.triggerPolicy = { strategy: 'ALL_UPSTREAM_TASKS_DONE' };

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe('root.dag.tasks.consumer.triggerPolicy.strategy');
    expect(problem.message).toContain(
      'must be one of TRIGGER_STRATEGY_UNSPECIFIED, ALL_UPSTREAM_TASKS_SUCCEEDED, ALL_UPSTREAM_TASKS_COMPLETED',
    );
  });

  it('names the expected and the actual type', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.consumer.cachingOptions.enableCache = 'yes';
    doc.deploymentSpec.executors['exec-consumer'].container.image = 3;

    const problems = validatePipelineSpec(doc);
    expect(problems).toEqual([
      { path: "deploymentSpec.executors['exec-consumer'].container.image", message: 'must be a string (got 3)' },
      { path: 'root.dag.tasks.consumer.cachingOptions.enableCache', message: 'must be a boolean (got the string "yes")' },
    ]);
  });

  it('reports one problem for a message given as a scalar, not a cascade', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.deploymentSpec.executors['exec-consumer'] = 'python:3.11';

    expect(validatePipelineSpec(doc)).toEqual([
      { path: "deploymentSpec.executors['exec-consumer']", message: 'must be an object (got the string "python:3.11")' },
    ]);
  });

  it('takes int64 as a digit string or an integer, and Durations as seconds', () => {
    const doc = golden(PRODUCER_CONSUMER);
    const container = doc.deploymentSpec.executors['exec-consumer'].container;
    container.resources = { accelerator: { count: '2', resourceCount: '2', resourceType: 'nvidia.com/gpu' } };
    doc.root.dag.tasks.consumer.retryPolicy = { maxRetryCount: 3, backoffDuration: '0s', backoffMaxDuration: '3600s', backoffFactor: 2 };
    expect(validatePipelineSpec(doc)).toEqual([]);

    container.resources.accelerator.count = 2;
    expect(validatePipelineSpec(doc)).toEqual([]);

    container.resources.accelerator.count = 'two';
    doc.root.dag.tasks.consumer.retryPolicy.backoffDuration = '1h';
    expect(validatePipelineSpec(doc)).toEqual([
      {
        path: "deploymentSpec.executors['exec-consumer'].container.resources.accelerator.count",
        message: 'must be an int64: an integer, or a string of decimal digits (got the string "two")',
      },
      {
        path: 'root.dag.tasks.consumer.retryPolicy.backoffDuration',
        message: `must be a duration: seconds with an 's' suffix, such as "0s", "1.5s" or "3600s" (got the string "1h")`,
      },
    ]);
  });

  it('rejects two members of one oneof', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.producer.inputs.parameters.input_text.runtimeValue = { constant: 'hi' };

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe('root.dag.tasks.producer.inputs.parameters.input_text');
    expect(problem.message).toBe(
      "'runtimeValue' and 'componentInputParameter' are alternatives (protobuf oneof 'kind'); set only one of them",
    );
  });

  it('rejects a component that is both a DAG and an executor, and an executor of two kinds', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.components['comp-consumer'].dag = { tasks: {} };
    doc.deploymentSpec.executors['exec-producer'].importer = {
      artifactUri: { constant: 'gs://b/x' },
      typeSchema: { schemaTitle: 'system.Artifact' },
    };

    expect(validatePipelineSpec(doc)).toEqual([
      {
        path: "components['comp-consumer']",
        message: "'dag' and 'executorLabel' are alternatives (protobuf oneof 'implementation'); set only one of them",
      },
      {
        path: "deploymentSpec.executors['exec-producer']",
        message: "'container' and 'importer' are alternatives (protobuf oneof 'spec'); set only one of them",
      },
    ]);
  });

  it('requires one member of a oneof a runnable IR cannot leave empty', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.producer.inputs.parameters.input_text = {};

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe('root.dag.tasks.producer.inputs.parameters.input_text');
    expect(problem.message).toBe(
      "must set one of 'taskOutputParameter', 'runtimeValue', 'componentInputParameter' or 'taskFinalStatus' (protobuf oneof 'kind')",
    );
  });

  it('reports a missing required field at the object that lacks it', () => {
    const doc = golden(PRODUCER_CONSUMER);
    delete doc.deploymentSpec.executors['exec-consumer'].container.image;

    expect(validatePipelineSpec(doc)).toEqual([
      { path: "deploymentSpec.executors['exec-consumer'].container", message: "missing required field 'image'" },
    ]);
  });

  it('reports each independent mistake', () => {
    const doc = golden(FLIP_COIN);
    doc.components['comp-condition-2'].dag.tasks['print-msg'].taskinfo = { name: 'x' };
    doc.root.inputDefinitions = { parameters: { n: { parameterType: 'INT' } } };

    const problems = validatePipelineSpec(doc);
    expect(problems.map((p) => p.path)).toEqual([
      "components['comp-condition-2'].dag.tasks['print-msg'].taskinfo",
      'root.inputDefinitions.parameters.n.parameterType',
    ]);
  });

  it('rejects a document that is not an object, naming what it is', () => {
    expect(validatePipelineSpec([])).toEqual([{ path: '', message: 'must be an object (got a list)' }]);
    expect(validatePipelineSpec({})).toEqual([
      { path: '', message: "missing required field 'pipelineInfo'" },
      { path: '', message: "missing required field 'root'" },
      { path: '', message: "missing required field 'schemaVersion'" },
    ]);
  });

  it('skips the reference checks until the schema passes', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.consumer.componentRef.name = 'comp-nowhere';
    doc.sdkVersion = 2;

    expect(validatePipelineSpec(doc)).toEqual([{ path: 'sdkVersion', message: 'must be a string (got 2)' }]);
  });
});

describe('reference problems', () => {
  it('rejects a componentRef to a component that does not exist', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.consumer.componentRef.name = 'comp-consumr';

    expect(validatePipelineSpec(doc)).toEqual([
      {
        path: 'root.dag.tasks.consumer.componentRef.name',
        message: "component 'comp-consumr' is not defined in components (did you mean 'comp-consumer'?)",
      },
    ]);
  });

  it('bracket-quotes task names that are not identifiers', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks["train-model's"] = doc.root.dag.tasks.consumer;
    delete doc.root.dag.tasks.consumer;
    doc.root.dag.tasks["train-model's"].componentRef.name = 'comp-train';

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe("root.dag.tasks['train-model\\'s'].componentRef.name");
    expect(problem.message).toMatch(/^component 'comp-train' is not defined in components \(known: 'comp-consumer', 'comp-producer'\)$/);
  });

  it('rejects a producerTask that is not a task of the same DAG', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.producerTask = 'produce';
    doc.root.dag.tasks.consumer.dependentTasks = ['produce'];

    expect(validatePipelineSpec(doc)).toEqual([
      {
        path: 'root.dag.tasks.consumer.dependentTasks[0]',
        message: "dependent task 'produce' is not a task of this DAG (did you mean 'producer'?)",
      },
      {
        path: 'root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.producerTask',
        message: "producer task 'produce' is not a task of this DAG (did you mean 'producer'?)",
      },
    ]);
  });

  it('rejects a producerTask in another DAG', () => {
    const doc = golden(FLIP_COIN);
    // 'flip-coin' is a root task; a sub-DAG must receive its output as a component input, not name it.
    const condition = doc.components['comp-condition-1'].dag.tasks;
    const [taskName] = Object.keys(condition);
    condition[taskName!].dependentTasks = ['flip-coin'];

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe(`components['comp-condition-1'].dag.tasks['${taskName}'].dependentTasks[0]`);
    expect(problem.message).toContain("dependent task 'flip-coin' is not a task of this DAG");
  });

  it('rejects an output key the producer does not have', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.outputParameterKey = 'Output';

    expect(validatePipelineSpec(doc)).toEqual([
      {
        path: 'root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.outputParameterKey',
        message: "task 'producer' has no output parameter 'Output' (known: 'output_value')",
      },
    ]);
  });

  it('rejects a dangling producerSubtask in DAG outputs', () => {
    const doc = golden(ADD_NUMBERS);
    doc.root.dag.outputs.parameters.Output.valueFromParameter.producerSubtask = 'add-numbers-2';

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe('root.dag.outputs.parameters.Output.valueFromParameter.producerSubtask');
    expect(problem.message).toContain("producer subtask 'add-numbers-2' is not a task of this DAG");
  });

  it('rejects a component whose executor is missing', () => {
    const doc = golden(PRODUCER_CONSUMER);
    delete doc.deploymentSpec.executors['exec-consumer'];

    expect(validatePipelineSpec(doc)).toEqual([
      {
        path: "components['comp-consumer'].executorLabel",
        message: "executor 'exec-consumer' is not defined in deploymentSpec.executors (known: 'exec-producer')",
      },
    ]);
  });

  it('rejects a componentInputParameter the enclosing component does not declare', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.producer.inputs.parameters.input_text.componentInputParameter = 'txt';

    expect(validatePipelineSpec(doc)).toEqual([
      {
        path: 'root.dag.tasks.producer.inputs.parameters.input_text.componentInputParameter',
        message: "'txt' is not an input parameter of the enclosing component (did you mean 'text'?)",
      },
    ]);
  });

  it('rejects any schemaVersion but 2.1.0', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.schemaVersion = '2.0.0';

    const problem = onlyProblem(validatePipelineSpec(doc));
    expect(problem.path).toBe('schemaVersion');
    expect(problem.message).toMatch(/^must be '2\.1\.0' \(got '2\.0\.0'\)/);
  });

  it('rejects a root that is not a DAG', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root = { executorLabel: 'exec-consumer' };

    expect(validatePipelineSpec(doc)).toEqual([
      { path: 'root', message: "the pipeline's root component must be a DAG ('dag'), not an executor" },
    ]);
  });

  it('rejects a dependency cycle once, and a task that waits for itself', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.root.dag.tasks.producer.dependentTasks = ['consumer'];

    expect(validatePipelineSpec(doc)).toEqual([
      { path: 'root.dag.tasks.producer', message: 'dependency cycle: consumer -> producer -> consumer (each task waits for the next)' },
    ]);

    doc.root.dag.tasks.producer.dependentTasks = ['producer'];
    expect(validatePipelineSpec(doc)).toEqual([
      { path: 'root.dag.tasks.producer.dependentTasks[0]', message: "task 'producer' cannot depend on itself" },
    ]);
  });

  it('shortens the message for a long cycle', () => {
    const doc = golden(PRODUCER_CONSUMER);
    const template = doc.root.dag.tasks.producer;
    doc.root.dag.tasks = {};
    for (let i = 1; i <= 10; i++) {
      doc.root.dag.tasks[`t${i}`] = { ...template, taskInfo: { name: `t${i}` }, dependentTasks: [`t${i === 1 ? 10 : i - 1}`] };
    }

    expect(validatePipelineSpec(doc)).toEqual([
      {
        path: 'root.dag.tasks.t2',
        message: 'dependency cycle: t1 -> t10 -> t9 -> t8 -> … 5 more -> t2 -> t1 (each task waits for the next)',
      },
    ]);
  });
});

describe('assertValidPipelineSpec', () => {
  it('passes a valid document', () => {
    expect(() => assertValidPipelineSpec(golden(PRODUCER_CONSUMER), 'producer-consumer')).not.toThrow();
  });

  it('throws an InvalidIrError listing every problem', () => {
    const doc = golden(PRODUCER_CONSUMER);
    doc.schemaVersion = '2.0.0';
    doc.root.dag.tasks.consumer.componentRef.name = 'comp-x';

    let thrown: unknown;
    try {
      assertValidPipelineSpec(doc, 'compiled pipeline producer-consumer');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidIrError);
    const error = thrown as InvalidIrError;
    expect(error.problems).toHaveLength(2);
    // In document order: root comes before schemaVersion in the file.
    expect(error.message).toMatch(
      /^compiled pipeline producer-consumer is not a valid PipelineSpec \(2 problems\):\n {2}root\.dag\.tasks\.consumer\.componentRef\.name: component 'comp-x' is not defined/,
    );
    expect(error.message).toContain("\n  schemaVersion: must be '2.1.0' (got '2.0.0')");
  });
});

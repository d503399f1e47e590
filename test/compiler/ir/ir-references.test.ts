/**
 * Reference checks look names up as own properties only: a parsed document is a plain object, so a
 * reference named after an Object.prototype member must not resolve to it (or crash the checks).
 */
import * as path from 'node:path';
import { loadIrFile } from '../../../compiler/ir/load-ir-file';
import { validatePipelineSpec, type IrProblem } from '../../../compiler/ir/validate-pipeline-spec';
import { goldensDir } from '../../support/kfp-goldens';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

/** producer → consumer: consumer reads producer's output_value; producer reads the pipeline input `text`. */
function producerConsumer(): any {
  return loadIrFile(path.join(goldensDir(), 'pipelines/critical/producer_consumer_param_pipeline.yaml')).spec;
}

function problemsOf(doc: unknown): IrProblem[] {
  // Through JSON text, as a file arrives: JSON.parse makes '__proto__' an own key, as js-yaml does.
  return validatePipelineSpec(JSON.parse(JSON.stringify(doc)));
}

describe.each(PROTOTYPE_NAMES)("a reference named '%s' that is not defined", (name) => {
  it('is rejected as a componentRef', () => {
    const doc = producerConsumer();
    doc.root.dag.tasks.consumer.componentRef.name = name;
    expect(problemsOf(doc)).toEqual([
      {
        path: 'root.dag.tasks.consumer.componentRef.name',
        message: expect.stringMatching(
          new RegExp(`^component '${name}' is not defined in components \\(known: 'comp-consumer', 'comp-producer'\\)$`),
        ),
      },
    ]);
  });

  it('is rejected as a producerTask, and its output key is not looked up', () => {
    const doc = producerConsumer();
    doc.root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.producerTask = name;
    expect(problemsOf(doc)).toEqual([
      {
        path: 'root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.producerTask',
        message: `producer task '${name}' is not a task of this DAG (known: 'consumer', 'producer')`,
      },
    ]);
  });

  it('is rejected as a dependent task, an executor label, a component input and an output key', () => {
    const doc = producerConsumer();
    doc.root.dag.tasks.consumer.dependentTasks = [name];
    doc.components['comp-consumer'].executorLabel = name;
    doc.root.dag.tasks.producer.inputs.parameters.input_text.componentInputParameter = name;
    doc.root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.outputParameterKey = name;
    expect(problemsOf(doc).map((p) => p.path)).toEqual([
      "components['comp-consumer'].executorLabel",
      'root.dag.tasks.consumer.dependentTasks[0]',
      'root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.outputParameterKey',
      'root.dag.tasks.producer.inputs.parameters.input_text.componentInputParameter',
    ]);
  });

  it('resolves when it is defined as an own name', () => {
    const doc = producerConsumer();
    const rename = (map: Record<string, unknown>, from: string): void => {
      Object.defineProperty(map, name, { value: map[from], enumerable: true, writable: true, configurable: true });
      delete map[from];
    };
    rename(doc.root.dag.tasks, 'producer');
    doc.root.dag.tasks.consumer.dependentTasks = [name];
    doc.root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.producerTask = name;
    expect(problemsOf(doc)).toEqual([]);
  });
});

describe('empty DAGs', () => {
  it("rejects root.dag: {} with the DAG's path", () => {
    const doc = producerConsumer();
    doc.root.dag = {};
    expect(problemsOf(doc)).toEqual([
      {
        path: 'root.dag',
        message: "a DAG must have at least one task ('tasks' is missing or empty); give the component an executor instead, or remove it",
      },
    ]);
  });

  it('rejects a component DAG with no tasks', () => {
    const doc = producerConsumer();
    doc.components['comp-inner'] = { dag: { tasks: {} } };
    expect(problemsOf(doc).map((p) => p.path)).toEqual(["components['comp-inner'].dag"]);
  });
});

describe('bounded suggestions', () => {
  it('shortens a 30,000-character name in the message and the path, and suggests nothing for it', () => {
    const doc = producerConsumer();
    const long = 'p'.repeat(30_000);
    doc.root.dag.tasks[long] = doc.root.dag.tasks.producer;
    doc.root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.producerTask = `${long}x`;
    const [problem, ...rest] = problemsOf(doc);
    expect(rest).toEqual([]);
    expect(problem!.message).toBe(
      `producer task '${'p'.repeat(60)}… (30001 characters)' is not a task of this DAG (known: 'consumer', 'producer', '${'p'.repeat(60)}… (30000 characters)')`,
    );
  });

  it('still suggests the closest of thousands of names', () => {
    const doc = producerConsumer();
    for (let i = 0; i < 3000; i++) doc.root.dag.tasks[`extra-${i}`] = { ...doc.root.dag.tasks.producer, taskInfo: { name: `extra-${i}` } };
    doc.root.dag.tasks.consumer.inputs.parameters.input_value.taskOutputParameter.producerTask = 'prodcer';
    expect(problemsOf(doc)[0]!.message).toBe("producer task 'prodcer' is not a task of this DAG (did you mean 'producer'?)");
  });
});

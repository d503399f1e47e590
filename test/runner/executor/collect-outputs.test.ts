import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IrParameterType } from '../../../compiler/ir/pipeline-spec';
import { OutputError, collectOutputs, parseParameterText } from '../../../runner/executor/collect-outputs';
import type { ExecutorInput } from '../../../compiler/ir/executor-protocol';
import { buildExecutorInput } from '../../../runner/executor/executor-input';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kfp-ts-collect-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const taskPath = 'p/train';

function input(parameters: string[], artifacts: Record<string, Record<string, unknown>> = {}): ExecutorInput {
  return buildExecutorInput({
    parameterValues: {},
    inputArtifacts: {},
    outputParameters: Object.fromEntries(parameters.map((name) => [name, join(dir, name)])),
    outputArtifacts: Object.fromEntries(
      Object.entries(artifacts).map(([name, metadata]) => [
        name,
        {
          name,
          type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' },
          uri: join(dir, name),
          metadata: metadata as Record<string, never>,
        },
      ]),
    ),
    outputFile: join(dir, 'executor_output.json'),
  });
}

function collect(executorInput: ExecutorInput, types: Record<string, IrParameterType>) {
  return collectOutputs({ executorInput, outputParameterTypes: types, taskPath });
}

function outputError(fn: () => unknown): OutputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OutputError) return error;
    throw error;
  }
  throw new Error('expected an OutputError');
}

describe('collectOutputs: parameters', () => {
  it('parses per-parameter files by declared type', () => {
    const types: Record<string, IrParameterType> = {
      s: 'STRING',
      i: 'NUMBER_INTEGER',
      d: 'NUMBER_DOUBLE',
      b: 'BOOLEAN',
      l: 'LIST',
      m: 'STRUCT',
    };
    const files: Record<string, string> = { s: 'hello\n', i: '3\n', d: '0.25', b: 'True\n', l: '["a", 1]', m: '{"k": {"n": null}}' };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    expect(collect(input(Object.keys(types)), types).parameters).toEqual({
      s: 'hello\n',
      i: 3,
      d: 0.25,
      b: true,
      l: ['a', 1],
      m: { k: { n: null } },
    });
  });

  it('the ExecutorOutput file wins over per-parameter files (proto and backend rule)', () => {
    writeFileSync(join(dir, 'a'), 'from-file');
    writeFileSync(join(dir, 'b'), 'from-file');
    writeFileSync(join(dir, 'executor_output.json'), JSON.stringify({ parameterValues: { a: 'from-executor-output', extra: 1 } }));
    expect(collect(input(['a', 'b']), { a: 'STRING', b: 'STRING' }).parameters).toEqual({ a: 'from-executor-output', b: 'from-file' });
  });

  it('accepts snake_case parameter_values, and a value only in the ExecutorOutput needs no file', () => {
    writeFileSync(join(dir, 'executor_output.json'), JSON.stringify({ parameter_values: { n: 7 } }));
    expect(collect(input(['n']), { n: 'NUMBER_INTEGER' }).parameters).toEqual({ n: 7 });
  });

  it('a missing output parameter names the task, the output, the file and the fix', () => {
    const error = outputError(() => collect(input(['Output']), { Output: 'STRING' }));
    expect(error.taskPath).toBe(taskPath);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ output: 'Output', file: join(dir, 'Output') });
    expect(error.message).toBe(
      `[p/train] output parameter 'Output' (STRING) was not written: expected the file ${join(dir, 'Output')} ` +
        `or a parameterValues entry in ${join(dir, 'executor_output.json')} — ` +
        `write the value to the file given by {{$.outputs.parameters['Output'].output_file}}`,
    );
  });

  it('reports every bad output at once', () => {
    writeFileSync(join(dir, 'i'), '2.5');
    writeFileSync(join(dir, 'b'), 'yes');
    writeFileSync(join(dir, 'l'), '{"not": "a list"}');
    writeFileSync(join(dir, 'm'), 'not json');
    const error = outputError(() =>
      collect(input(['i', 'b', 'l', 'm', 'gone']), { i: 'NUMBER_INTEGER', b: 'BOOLEAN', l: 'LIST', m: 'STRUCT', gone: 'NUMBER_DOUBLE' }),
    );
    expect(error.problems.map((p) => p.output)).toEqual(['i', 'b', 'l', 'm', 'gone']);
    expect(error.message.split('\n')[0]).toBe('[p/train] 5 outputs were not produced correctly:');
    expect(error.message).toContain(
      `output parameter 'i' in ${join(dir, 'i')} is not a valid NUMBER_INTEGER: "2.5" is not an integer — write an integer such as 3`,
    );
    expect(error.message).toContain(`output parameter 'b' in ${join(dir, 'b')} is not a valid BOOLEAN: "yes" is not true or false`);
    expect(error.message).toContain('is not a JSON list');
    expect(error.message).toContain('"not json" is not JSON');
    expect(error.message).toContain("output parameter 'gone' (NUMBER_DOUBLE) was not written");
  });
});

describe('parseParameterText', () => {
  it('BOOLEAN accepts what strconv.ParseBool accepts', () => {
    for (const text of ['1', 't', 'T', 'true', 'TRUE', 'True', ' true\n'])
      expect(parseParameterText(text, 'BOOLEAN')).toEqual({ value: true });
    for (const text of ['0', 'f', 'F', 'false', 'FALSE', 'False']) expect(parseParameterText(text, 'BOOLEAN')).toEqual({ value: false });
    expect(parseParameterText('tRuE', 'BOOLEAN')).toHaveProperty('invalid');
  });
});

describe('collectOutputs: artifacts', () => {
  it('keeps provisioned artifacts the ExecutorOutput does not mention', () => {
    const result = collect(input([], { model: { framework: 'tf' } }), {});
    expect(result.artifacts).toEqual({
      model: [
        {
          name: 'model',
          type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' },
          uri: join(dir, 'model'),
          metadata: { framework: 'tf' },
        },
      ],
    });
  });

  it('merges: non-empty uri replaces, metadata merges with the output winning, customPath (either spelling) replaces', () => {
    writeFileSync(
      join(dir, 'executor_output.json'),
      JSON.stringify({
        artifacts: {
          model: {
            artifacts: [{ name: 'model', uri: 'gs://b/moved', metadata: { accuracy: 0.9, framework: 'jax' }, custom_path: '/mnt/m' }],
          },
          same: { artifacts: [{ uri: '', metadata: {} }] },
          unknown: { artifacts: [{ uri: 'gs://ignored' }] },
        },
      }),
    );
    const result = collect(input([], { model: { framework: 'tf', keep: true }, same: { k: 1 } }), {});
    expect(result.artifacts.model).toEqual([
      {
        name: 'model',
        type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' },
        uri: 'gs://b/moved',
        metadata: { framework: 'jax', keep: true, accuracy: 0.9 },
        customPath: '/mnt/m',
      },
    ]);
    expect(result.artifacts.same).toEqual([
      { name: 'same', type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' }, uri: join(dir, 'same'), metadata: { k: 1 } },
    ]);
    expect(Object.keys(result.artifacts)).toEqual(['model', 'same']);
  });

  it('does not change the ExecutorInput it was given', () => {
    writeFileSync(
      join(dir, 'executor_output.json'),
      JSON.stringify({ artifacts: { model: { artifacts: [{ uri: '/elsewhere', metadata: { a: 1 } }] } } }),
    );
    const executorInput = input([], { model: {} });
    collect(executorInput, {});
    expect(executorInput.outputs.artifacts.model!.artifacts[0]).toMatchObject({ uri: join(dir, 'model'), metadata: {} });
  });
});

describe('collectOutputs: malformed ExecutorOutput', () => {
  it.each([
    ['{"parameterValues": ', 'is not valid JSON'],
    ['[1, 2]', 'is not a JSON object'],
    ['{"parameterValues": []}', '"parameterValues" is not an object'],
    ['{"artifacts": {"model": [{"uri": "x"}]}}', '"artifacts.model" is not {"artifacts": [...]}'],
    ['{"artifacts": {"model": {"artifacts": [{"uri": 3}]}}}', '"artifacts.model.artifacts[0].uri" is not a string'],
    ['{"artifacts": {"model": {"artifacts": [{"metadata": "x"}]}}}', '"artifacts.model.artifacts[0].metadata" is not an object'],
  ])('%s', (text, what) => {
    const file = join(dir, 'executor_output.json');
    writeFileSync(file, text);
    const error = outputError(() => collect(input([], { model: {} }), {}));
    expect(error.problems[0]!.file).toBe(file);
    expect(error.message).toContain(`[p/train] the ExecutorOutput file ${file} ${what}`);
  });
});

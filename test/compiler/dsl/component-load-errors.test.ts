/**
 * Every problem with a component file is a ComponentLoadError when it loads, reading
 * `file[:line]: what is wrong — how to fix it`, rather than a compile-time or run-time surprise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ComponentLoadError,
  Dataset,
  compilePipeline,
  containerComponent,
  loadComponentFromFile,
  loadComponentFromText,
  t,
  toPipelineYaml,
} from '../../../compiler';
import { goldensDir } from '../../support/kfp-goldens';

/** The error loading `text` as comp.yaml throws (failing the test if none). */
function loadError(text: string): ComponentLoadError {
  try {
    loadComponentFromText(text, 'comp.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ComponentLoadError);
    expect((error as Error).message).toMatch(/^comp\.yaml(:\d+)?: .+ — .+$/s);
    return error as ComponentLoadError;
  }
  throw new Error('expected a ComponentLoadError');
}

/** A v1 component with a parameter and an untyped (artifact) input, two outputs, and `container` lines appended. */
const v1 = (container: string) =>
  'name: Demo\ninputs:\n- {name: text, type: String}\n- {name: data}\noutputs:\n- {name: score, type: Float}\n- {name: model, type: Model}\n' +
  `implementation:\n  container:\n    image: alpine\n${container}`;

describe('a placeholder naming a missing input is a load-time error naming the file, the placeholder and the valid names', () => {
  it('in a v1 component', () => {
    expect(loadError(v1('    args:\n    - echo\n    - {inputValue: nope}\n')).message).toBe(
      "comp.yaml:13: args[1]: {inputValue: nope} names no input of the component (valid inputs: text, data) — use one of the declared input names, or declare 'nope' under inputs:",
    );
  });

  it('in compiled IR', () => {
    const ir = toPipelineYaml(
      compilePipeline(
        containerComponent({
          name: 'c',
          inputs: { text: t.string(), data: Dataset },
          outputs: { n: t.int() },
          image: 'a',
          args: ({ inputs, outputs }) => ['--text', inputs.text, inputs.data.path, outputs.n.path],
        }),
      ),
    );
    expect(loadError(ir.replace("parameters[''text'']", "parameters[''nope'']")).message).toBe(
      "comp.yaml:30: comp-c: args[1]: {{$.inputs.parameters['nope']}} names input 'nope', which is not declared; valid inputs: text (parameter), data (artifact) — use one of the declared names, or declare 'nope' in inputDefinitions.parameters",
    );
    expect(loadError(ir.replace("artifacts[''data''].path", "parameters[''data'']")).message).toBe(
      "comp.yaml:31: comp-c: args[2]: {{$.inputs.parameters['data']}} reads input 'data' as a parameter, but it is declared as an artifact — write {{$.inputs.artifacts['data']…}} instead (or declare it as a parameter)",
    );
    expect(loadError(ir.replace("outputs.parameters[''n'']", "outputs.parameters[''m'']")).message).toBe(
      "comp.yaml:32: comp-c: args[3]: {{$.outputs.parameters['m'].output_file}} names output 'm', which is not declared; valid outputs: n (parameter) — use one of the declared names, or declare 'm' in outputDefinitions.parameters",
    );
    const ifPresent = ir.replace('- --text\n', `- '{"IfPresent": {"InputName": "txt", "Then": ["--text"]}}'\n`);
    expect(loadError(ifPresent).message).toBe(
      "comp.yaml:29: comp-c: args[0]: IfPresent tests input 'txt', which is not declared; valid inputs: text (parameter), data (artifact) — name one of the component's inputs in InputName, or declare 'txt' in inputDefinitions",
    );
  });
});

describe('v1 placeholders are checked against the inputs and outputs they name', () => {
  it.each([
    [
      'an inputValue of an artifact (untyped) input',
      '    args: [{inputValue: data}]\n',
      "comp.yaml:11: args[0]: {inputValue: data} reads a parameter, but input 'data' is an artifact (no type) — give the input a parameter type (String, Integer, Float, Boolean, JsonObject, JsonArray), or pass its file with {inputPath: data}",
    ],
    [
      'an inputPath of a parameter',
      '    args: [{inputPath: text}]\n',
      "comp.yaml:11: args[0]: {inputPath: text} reads an artifact, but input 'text' is a parameter (type String) — pass its value with {inputValue: text}, or give the input an artifact type (e.g. Dataset) if the task gets a file",
    ],
    [
      'an outputUri of a parameter output',
      '    args: [{outputUri: score}]\n',
      "comp.yaml:11: args[0]: {outputUri: score} needs an artifact, but output 'score' is a parameter (type Float) — write the value to the file {outputPath: score} instead",
    ],
    [
      'an unknown output',
      '    args: [{outputPath: scores}]\n',
      "comp.yaml:11: args[0]: {outputPath: scores} names no output of the component (valid outputs: score, model) — use one of the declared output names, or declare 'scores' under outputs:",
    ],
    [
      'an if testing an unknown input',
      '    args:\n    - if: {cond: {isPresent: txt}, then: [x]}\n',
      "comp.yaml:12: args[0]: {isPresent: txt} names no input of the component (valid inputs: text, data) — use one of the declared input names, or declare 'txt' under inputs:",
    ],
    [
      'an if without isPresent',
      '    args:\n    - if: {cond: {equals: [a, b]}, then: [x]}\n',
      'comp.yaml:12: args[0]: an if placeholder needs cond: {isPresent: INPUT} — KFP v2 can only test whether an input was given; write if: {cond: {isPresent: NAME}, then: [...], else: [...]}',
    ],
    [
      'an if with list branches inside concat',
      '    args:\n    - concat: [a, {if: {cond: {isPresent: text}, then: [x, y]}}]\n',
      'comp.yaml:12: args[0].concat[1]: an if inside concat has a list in then or else — inside concat, give then and else one item each (then: {inputValue: x}, not then: [...])',
    ],
    [
      'a placeholder KFP v2 lacks',
      '    args: [{inputMetadata: data}]\n',
      "comp.yaml:11: args[0]: 'inputMetadata' is not a placeholder KFP v2 supports — use one of: inputValue, inputPath, inputUri, outputPath, outputUri, executorInput, concat, if (with cond: {isPresent: NAME}) or ifPresent",
    ],
    [
      'a number among the args',
      '    args: [--n, 5]\n',
      "comp.yaml:11: args[1] is 5, not a string or a placeholder — quote it ('5') or write a placeholder such as {inputValue: NAME}",
    ],
  ])('%s', (_, container, message) => {
    expect(loadError(v1(container)).message).toBe(message);
  });
});

describe('v1 structure problems name the field and the fix', () => {
  it.each([
    [
      'fileOutputs, which KFP v2 ignores',
      v1('    fileOutputs: {score: /tmp/score}\n'),
      'comp.yaml:9: implementation.container.fileOutputs is a KFP v1 feature that KFP v2 ignores: those outputs would never be written — have the program write each output to the path {outputPath: NAME} gives it, and drop fileOutputs',
    ],
    [
      'a misspelt field',
      v1('    arg: [x]\n'),
      "comp.yaml:9: implementation.container has an unknown field 'arg' — use only image, command, args, env, fileOutputs",
    ],
    [
      'a misspelt top-level field',
      'name: x\ninput: []\nimplementation: {container: {image: a}}\n',
      "comp.yaml:1: the component has an unknown field 'input' — use only name, description, metadata, inputs, outputs, implementation",
    ],
    [
      'no image',
      'name: x\nimplementation:\n  container:\n    command: [echo]\n',
      'comp.yaml:3: implementation.container has no image — add image: <registry/name:tag>',
    ],
    [
      'a graph component',
      'name: x\nimplementation:\n  graph: {tasks: {}}\n',
      'comp.yaml:2: implementation.graph (a v1 graph component) is not supported by KFP v2 — compile the graph as a kfp-ts or KFP v2 pipeline and load that instead',
    ],
    [
      'no name',
      'implementation: {container: {image: a}}\n',
      "comp.yaml:1: the component has no 'name' — add a line 'name: My component' at the top",
    ],
    [
      'two names that sanitize alike',
      'name: x\ninputs:\n- {name: Input Text}\n- {name: input_text}\nimplementation: {container: {image: a}}\n',
      "comp.yaml:4: inputs 'Input Text' and 'input_text' both become 'input_text' (names are lower-cased, other characters become _) — rename one of them",
    ],
    [
      'a default that is not of the type',
      'name: x\ninputs:\n- {name: n, type: Integer, default: ten}\nimplementation: {container: {image: a}}\n',
      `comp.yaml:3: input 'n' (type Integer): default "ten" is not a whole number — write a default of the input's type, or change its type`,
    ],
    [
      'optional that is not a boolean',
      'name: x\ninputs: [{name: s, type: String, optional: "yes"}]\nimplementation: {container: {image: a}}\n',
      `comp.yaml:2: input 's': optional is "yes", not true or false — write optional: true or optional: false`,
    ],
    [
      'an env value that is not text',
      'name: x\nimplementation: {container: {image: a, env: {PORT: 8080}}}\n',
      "comp.yaml:2: env PORT is 8080, not a string — quote it: PORT: '8080'",
    ],
    [
      'a task-final-status output',
      'name: x\noutputs: [{name: s, type: PipelineTaskFinalStatus}]\nimplementation: {container: {image: a}}\n',
      "comp.yaml:2: output 's' has type PipelineTaskFinalStatus, which only an exit task's input can have — give the output another type, e.g. JsonObject",
    ],
  ])('%s', (_, text, message) => {
    expect(loadError(text).message).toBe(message);
  });
});

describe('files that are not components', () => {
  it.each([
    [
      'a YAML syntax error, at the line js-yaml gives',
      'name: x\nimplementation:\n  container: {image: a\n  bad\n',
      'comp.yaml:4: not valid YAML or JSON: missed comma between flow collection entries — correct the syntax there (a component file is KFP v1 component YAML or compiled IR in YAML or JSON)',
    ],
    [
      'neither format',
      'foo: 1\n',
      "comp.yaml: is neither a KFP v1 component (it has no 'implementation') nor compiled KFP IR (it has no 'pipelineInfo' and 'root') — load a KFP v1 component YAML (name, inputs, outputs, implementation: {container: …}) or a component compiled by the KFP SDK or kfp-ts",
    ],
    [
      'a pipeline job',
      '{"displayName": "j", "pipelineSpec": {}}',
      'comp.yaml: is a pipeline job (it wraps a pipelineSpec), not a component — save the pipelineSpec field on its own and load that file',
    ],
    ['an empty file', '', 'comp.yaml: the file is empty — load a KFP v1 component YAML or a compiled component (IR YAML or JSON)'],
  ])('%s', (_, text, message) => {
    expect(loadError(text).message).toBe(message);
  });

  it('IR that does not validate, and IR with a Kubernetes platform document', () => {
    const ir = toPipelineYaml(compilePipeline(containerComponent({ name: 'c', image: 'a' })));
    expect(loadError(ir.replace('executorLabel: exec-c', 'executorLabel: exec-d')).message).toBe(
      "comp.yaml: not a valid PipelineSpec: components['comp-c'].executorLabel: executor 'exec-d' is not defined in deploymentSpec.executors (did you mean 'exec-c'?) — fix those fields, or compile the component again with the KFP SDK or kfp-ts (`kfp-ts validate` lists every problem)",
    );
    const platform = fs.readFileSync(path.join(goldensDir(), 'pipelines/pvc_mount.yaml'), 'utf8');
    expect(loadError(platform).message).toBe(
      'comp.yaml:103: has a second YAML document (a platform config: Kubernetes settings), which kfp-ts does not use — remove the second document, or compile the component without kfp-kubernetes settings',
    );
  });

  it('a YAML alias bomb or a cyclic alias, with the line of the node', () => {
    const anchors = ['&a0 "lol"'];
    for (let level = 1; level <= 9; level++)
      anchors.push(
        `&a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(', ')}]`,
      );
    const bomb = `name: bomb\nimplementation:\n  container:\n    image: busybox\nmetadata:\n  annotations:\n    x: [${anchors.join(', ')}]\n`;
    expect(loadError(bomb).message).toMatch(
      /^comp\.yaml:7: metadata\.annotations\.x\[\d\]: expands through YAML aliases to more than 33554432 values and characters \(an alias bomb\?\) — write the values out/,
    );
    const cycle = 'name: cycle\nimplementation:\n  container:\n    image: busybox\n    args: &a [*a]\n';
    expect(loadError(cycle).message).toMatch(
      /^comp\.yaml:5: implementation\.container\.args\[0\]: holds a YAML alias to a mapping or list that contains the alias/,
    );
  });

  it('a file that cannot be read', () => {
    expect(() => loadComponentFromFile('missing/comp.yaml')).toThrow(
      /^missing\/comp\.yaml: cannot be read: ENOENT — check the path \(a relative one resolves against the working directory, .*\), or embed the component with `kfp-ts types`$/,
    );
  });
});

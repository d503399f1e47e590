import {
  PlaceholderError,
  resolveCommandLine,
  resolveParameterPlaceholders,
  resolveSelfReferences,
} from '../../../runner/executor/placeholders';
import { runtime, sampleInput } from './fixtures';

const context = { taskPath: 'quickstart/train-model' };
const resolve = (items: string[], input = sampleInput(), values = runtime) => resolveCommandLine(items, input, values, context);

function thrown(fn: () => unknown): PlaceholderError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PlaceholderError) return error;
    throw error;
  }
  throw new Error('expected a PlaceholderError');
}

describe('resolveCommandLine: keyed placeholders', () => {
  it('formats parameter values: strings raw, numbers, bools, lists and structs as compact JSON', () => {
    expect(
      resolve([
        "{{$.inputs.parameters['msg']}}",
        "--n={{$.inputs.parameters['n']}}",
        "{{$.inputs.parameters['ratio']}}",
        "{{$.inputs.parameters['flag']}}",
        "{{$.inputs.parameters['tags']}}",
        "{{$.inputs.parameters['cfg']}}",
      ]),
    ).toEqual(['hi', '--n=3', '0.5', 'true', '["a","b"]', '{"k":1}']);
  });

  it('writes numbers without exponent notation (Go FormatFloat f, -1)', () => {
    const input = sampleInput({ parameterValues: { a: 3, b: 0.0000001, c: 1e21, d: -2.5e-8, e: 1.2345e22, f: 3.0 } });
    expect(
      resolve(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `{{$.inputs.parameters['${k}']}}`),
        input,
      ),
    ).toEqual(['3', '0.0000001', '1000000000000000000000', '-0.000000025', '12345000000000000000000', '3']);
  });

  it('resolves artifact uri, path (gs:// → /gcs/), metadata and one metadata key', () => {
    expect(
      resolve([
        "{{$.inputs.artifacts['data'].uri}}",
        "{{$.inputs.artifacts['data'].path}}",
        "{{$.outputs.artifacts['model'].uri}}",
        "{{$.outputs.artifacts['model'].path}}",
        "{{$.inputs.artifacts['data'].metadata}}",
        "{{$.inputs.artifacts['data'].metadata['resourceName']}}",
        "{{$.inputs.artifacts['data'].metadata['rows']}}",
        "{{$.inputs.artifacts['data'].metadata['odd key']}}",
      ]),
    ).toEqual([
      '/abs/outputs/p/run-1/producer/data',
      '/abs/outputs/p/run-1/producer/data',
      'gs://bucket/run-1/model',
      '/gcs/bucket/run-1/model',
      '{"rows":10,"resourceName":"projects/p/models/7","odd key":"it\'s"}',
      'projects/p/models/7',
      '10',
      "it's",
    ]);
  });

  it('renders a list-of-artifacts input as the JSON array of its runtime artifacts', () => {
    const [text] = resolve(["{{$.inputs.artifacts['shards']}}"]);
    expect(JSON.parse(text!)).toEqual([
      { name: '43', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: 'gs://b/s1', metadata: {} },
      { name: '44', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: 'gs://b/s2', metadata: {} },
    ]);
    expect(resolve(["{{$.inputs.artifacts['shards'].uri}}"])).toEqual(['gs://b/s1']);
  });

  it('resolves output files and the ExecutorOutput path', () => {
    expect(
      resolve(["{{$.outputs.parameters['Output'].output_file}}", '{{$.outputs.output_file}}', '--meta={{$.outputMetadataUri}}']),
    ).toEqual([
      '/abs/outputs/p/run-1/train/Output',
      '/abs/outputs/p/run-1/train/executor_output.json',
      '--meta=/abs/outputs/p/run-1/train/executor_output.json',
    ]);
  });

  it('passes {{$}} as the whole ExecutorInput JSON', () => {
    const input = sampleInput();
    const [text] = resolve(['{{$}}'], input);
    expect(JSON.parse(text!)).toEqual(input);
  });

  it('resolves pipeline-level placeholders, GCP values empty when unset', () => {
    expect(
      resolve([
        '{{$.pipeline_job_name}}|{{$.pipeline_job_resource_name}}|{{$.pipeline_job_uuid}}',
        '{{$.pipeline_task_name}}|{{$.pipeline_task_uuid}}|{{$.pipeline_root}}',
        '{{$.pipeline_job_create_time_utc}}|{{$.pipeline_job_schedule_time_utc}}',
        '[{{$.pipeline_google_cloud_project_id}}][{{$.pipeline_google_cloud_location}}][{{$.pipeline_service_account}}]',
      ]),
    ).toEqual([
      'quickstart-run-1|local/pipelineJobs/run-1|run-1',
      'train-model|17|/abs/outputs',
      '2026-11-22T10:00:00Z|2026-11-22T10:00:01Z',
      '[][][]',
    ]);
    const withGcp = {
      ...runtime,
      workspacePath: '/ws',
      gcp: {
        projectId: 'my-proj',
        location: 'us-central1',
        network: 'n',
        encryptionKeyName: 'k',
        persistentResourceId: 'r',
        serviceAccount: 'sa@x',
      },
    };
    expect(
      resolve(
        [
          '{{$.pipeline_google_cloud_project_id}}/{{$.pipeline_google_cloud_location}}/{{$.pipeline_service_account}}/{{$.pipeline_network}}/{{$.pipeline_encryption_key_name}}/{{$.pipeline_persistent_resource_id}}',
          '{{$.workspace_path}}',
        ],
        sampleInput(),
        withGcp,
      ),
    ).toEqual(['my-proj/us-central1/sa@x/n/k/r', '/ws']);
  });

  it('applies json_escape[0] as one round of JSON string escaping', () => {
    const input = sampleInput({ parameterValues: { name: 'say "hi"\\now', tags: ['a'] } });
    expect(resolve(['{"displayName": "{{$.inputs.parameters[\'name\'].json_escape[0]}}"}'], input)).toEqual([
      '{"displayName": "say \\"hi\\"\\\\now"}',
    ]);
    expect(JSON.parse(resolve(['{"v": "{{$.inputs.parameters[\'name\'].json_escape[0]}}"}'], input)[0]!)).toEqual({ v: 'say "hi"\\now' });
    expect(resolve(["{{$.inputs.parameters['tags'].json_escape[0]}}"], input)).toEqual(['[\\"a\\"]']);
  });

  it('does not rescan text a placeholder inserted (one pass for self-references, one for the command)', () => {
    const input = sampleInput({ parameterValues: { a: "{{$.inputs.parameters['b']}}", b: '{{$.pipeline_job_name}}' } });
    expect(resolve(["{{$.inputs.parameters['a']}}", "{{$.inputs.parameters['b']}}"], input)).toEqual([
      '{{$.pipeline_job_name}}',
      'quickstart-run-1',
    ]);
  });
});

describe('resolveCommandLine: struct placeholders', () => {
  it('IfPresent on a parameter: Then when not null, Else or nothing otherwise, lists spliced', () => {
    const ifPresent = (name: string, withElse: boolean) =>
      JSON.stringify({
        IfPresent: { InputName: name, Then: ['--arg', `{{$.inputs.parameters['${name}']}}`], ...(withElse ? { Else: ['--none'] } : {}) },
      })
        .replace(/":/g, '": ')
        .replace(/,"/g, ', "');
    const input = sampleInput({ parameterValues: { given: 'x', nulled: null } });
    expect(resolve(['a', ifPresent('given', true), 'b'], input)).toEqual(['a', '--arg', 'x', 'b']);
    expect(resolve(['a', ifPresent('missing', true), 'b'], input)).toEqual(['a', '--none', 'b']);
    expect(resolve(['a', ifPresent('nulled', false), 'b'], input)).toEqual(['a', 'b']);
  });

  it('names inherited from Object.prototype are not inputs', () => {
    const item = `{"IfPresent": {"InputName": "constructor", "Then": ["yes"], "Else": ["no"]}}`;
    expect(resolve([item])).toEqual(['no']);
    expect(thrown(() => resolve(["{{$.inputs.parameters['toString']}}"])).reason).toContain("input parameter 'toString' has no value");
  });

  it('IfPresent on an artifact input: present when the key exists (kfp.local, GCPC parent_model)', () => {
    const item = (name: string) =>
      `{"IfPresent": {"InputName": "${name}", "Then": ["--parent={{$.inputs.artifacts['${name}'].metadata['resourceName']}}"], "Else": ["--no-parent"]}}`;
    expect(resolve([item('data')])).toEqual(['--parent=projects/p/models/7']);
    expect(resolve([item('parent_model')])).toEqual(['--no-parent']);
  });

  it('the golden form of IfPresent (reference compiler text) with an artifact uri', () => {
    const golden = `{"IfPresent": {"InputName": "artifact", "Then": ["echo", "{{$.inputs.artifacts['artifact'].uri}}"], "Else": ["echo", "No artifact provided!"]}}`;
    const input = sampleInput();
    expect(resolve([golden], input)).toEqual(['echo', 'No artifact provided!']);
    input.inputs.artifacts.artifact = { artifacts: [{ name: '9', uri: '/abs/a', metadata: {} }] };
    expect(resolve([golden], input)).toEqual(['echo', '/abs/a']);
  });

  it('Concat joins resolved items into one element', () => {
    const golden = `{"Concat": ["prefix-", "{{$.inputs.parameters['msg']}}", "{{$.outputs.artifacts['model'].uri}}"]}`;
    expect(resolve(['--x', golden])).toEqual(['--x', 'prefix-higs://bucket/run-1/model']);
  });

  it('Concat with a nested single-element IfPresent, present and absent', () => {
    const item = (name: string) =>
      `{"Concat": ["--model=", {"IfPresent": {"InputName": "${name}", "Then": ["{{$.inputs.parameters['${name}']}}"], "Else": ["none"]}}, {"IfPresent": {"InputName": "${name}", "Then": ["!"]}}]}`;
    expect(resolve([item('msg')])).toEqual(['--model=hi!']);
    expect(resolve([item('other')])).toEqual(['--model=none']);
  });

  it('a GCPC-style payload: Concat with json_escape inside IfPresent nested in a list', () => {
    const payload =
      `{"Concat": ["{", "\\"display_name\\": \\"", "{{$.inputs.parameters['msg'].json_escape[0]}}", "\\"", ` +
      `{"IfPresent": {"InputName": "n", "Then": [", \\"n\\": {{$.inputs.parameters['n']}}"]}}, "}"]}`;
    const input = sampleInput({ parameterValues: { msg: 'a "quoted" name', n: 2 } });
    const [text] = resolve(['--payload', payload], input).slice(1);
    expect(JSON.parse(text!)).toEqual({ display_name: 'a "quoted" name', n: 2 });
  });

  it('rejects a multi-element IfPresent inside Concat', () => {
    const item = `{"Concat": ["x", {"IfPresent": {"InputName": "msg", "Then": ["a", "b"]}}]}`;
    expect(thrown(() => resolve([item])).message).toContain('single-element branches');
  });

  it('reports malformed struct placeholders with the task path', () => {
    const error = thrown(() => resolve(['{"Concat": [oops']));
    expect(error.taskPath).toBe('quickstart/train-model');
    expect(error.message).toBe(
      '[quickstart/train-model] cannot resolve the placeholder {"Concat": [oops: it starts like a Concat/IfPresent placeholder but is not a JSON object',
    );
  });
});

describe('resolveCommandLine: errors', () => {
  it.each([
    ["{{$.inputs.parameters['nope']}}", "input parameter 'nope' has no value (it has: msg, n, ratio, flag, tags, cfg)"],
    ["{{$.inputs.artifacts['nope'].uri}}", "the task has no input artifact 'nope' (it has: data, shards)"],
    ["{{$.outputs.parameters['nope'].output_file}}", "the task has no output parameter 'nope' (it has: Output)"],
    [
      "{{$.inputs.artifacts['data'].metadata['missing']}}",
      "artifact 'data' has no metadata key 'missing' (it has: rows, resourceName, odd key)",
    ],
    ["{{$.inputs.artifacts['data'].size}}", "an artifact placeholder ends with .uri, .path, .metadata or .metadata['key'], not '.size'"],
    [
      '{{$.pipeline_whatever}}',
      'not a placeholder kfp-ts knows (expected {{$}}, {{$.inputs.parameters[…]}}, {{$.inputs|outputs.artifacts[…].uri|path|metadata}}, {{$.outputs.parameters[…].output_file}}, {{$.outputs.output_file}} or {{$.pipeline_…}})',
    ],
    ['{{$.workspace_path}}', 'this run has no workspace configured'],
  ])('%s', (placeholder, reason) => {
    const error = thrown(() => resolve([`--x=${placeholder}`]));
    expect(error).toMatchObject({ taskPath: 'quickstart/train-model', placeholder, reason });
    expect(error.message).toBe(`[quickstart/train-model] cannot resolve the placeholder ${placeholder}: ${reason}`);
  });

  it('a null parameter outside IfPresent is an error that says to guard it', () => {
    const error = thrown(() => resolve(["{{$.inputs.parameters['opt']}}"], sampleInput({ parameterValues: { opt: null } })));
    expect(error.reason).toBe("input parameter 'opt' was not provided (null); guard it with IfPresent");
  });
});

describe('self-references and parameter placeholders', () => {
  const fString = { x: "{{$.inputs.parameters['pipelinechannel--upstream-Output']}}-bar", 'pipelinechannel--upstream-Output': 'foo' };

  it('resolves f-string parameter values before the command line, and in {{$}}', () => {
    const input = sampleInput({ parameterValues: fString });
    expect(resolve(["{{$.inputs.parameters['x']}}"], input)).toEqual(['foo-bar']);
    expect(JSON.parse(resolve(['{{$}}'], input)[0]!).inputs.parameterValues.x).toBe('foo-bar');
    expect(resolveSelfReferences(input, runtime, context).inputs.parameterValues.x).toBe('foo-bar');
    expect(input.inputs.parameterValues.x).toBe(fString.x); // the caller's input is unchanged
  });

  it('resolves run-time constants and defaults, inside lists and structs too', () => {
    const input = sampleInput();
    expect(resolveParameterPlaceholders('{{$.pipeline_job_name}}', input, runtime)).toBe('quickstart-run-1');
    expect(resolveParameterPlaceholders('{{$.pipeline_google_cloud_project_id}}', input, { ...runtime, gcp: { projectId: 'p1' } })).toBe(
      'p1',
    );
    expect(
      resolveParameterPlaceholders({ job: '{{$.pipeline_job_uuid}}', n: 3, list: ['{{$.pipeline_task_name}}'] }, input, runtime),
    ).toEqual({
      job: 'run-1',
      n: 3,
      list: ['train-model'],
    });
    expect(resolveParameterPlaceholders(7, input, runtime)).toBe(7);
  });

  it('names the task path when a value cannot be resolved', () => {
    const error = thrown(() => resolveParameterPlaceholders("{{$.inputs.parameters['gone']}}", sampleInput(), runtime, context));
    expect(error.taskPath).toBe('quickstart/train-model');
  });
});

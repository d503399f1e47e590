import { createHash } from 'node:crypto';
import { cacheFingerprint, cacheKeyMessage, customCacheFingerprint, type CacheKeyParts } from '../../../runner/executor/fingerprint';
import { goJson } from '../../../runner/executor/go-json';

// A vector computed by following the KFP backend's algorithm (GenerateFingerPrint in
// backend/src/v2/cacheutils/cache.go: SHA-256 of the CacheKey in Go's encoding/json), not by
// running KFP's Go code.
const vector: CacheKeyParts = {
  inputArtifactIds: { data: [42] },
  inputParameterValues: { msg: 'hi' },
  outputArtifacts: { model: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } },
  outputParameterTypes: { Output: 'STRING' },
  image: 'python:3.11',
  command: ['sh', '-c', "echo {{$.inputs.parameters['msg']}}"],
  args: [],
};

describe('cacheFingerprint', () => {
  it('matches the canonical JSON and SHA-256 of the reference test vector', () => {
    expect(goJson(cacheKeyMessage(vector))).toBe(
      `{"containerSpec":{"cmdArgs":["sh","-c","echo {{$.inputs.parameters['msg']}}"],"image":"python:3.11"},"inputArtifactNames":{"data":{"artifactNames":["42"]}},"inputParameterValues":{"msg":"hi"},"outputArtifactsSpec":{"model":{"name":"model","type":{"schemaTitle":"system.Model","schemaVersion":"0.0.1"}}},"outputParametersSpec":{"Output":"STRING"}}`,
    );
    expect(cacheFingerprint(vector)).toBe('ac41594f28c1eeae1556128a4c67d7ed915470c49a8ea29a58148decc773243f');
  });

  it('does not depend on map insertion order, and command/args split does not matter (cmdArgs)', () => {
    const reordered: CacheKeyParts = {
      ...vector,
      inputParameterValues: { b: { y: 1, x: [2, 'z'] }, a: 1 },
      command: ['sh'],
      args: ['-c', "echo {{$.inputs.parameters['msg']}}"],
    };
    const same = {
      ...reordered,
      inputParameterValues: { a: 1, b: { x: [2, 'z'], y: 1 } },
      command: ['sh', '-c'],
      args: ["echo {{$.inputs.parameters['msg']}}"],
    };
    expect(cacheFingerprint(reordered)).toBe(cacheFingerprint(same));
  });

  it('changes with every field in the key', () => {
    const base = cacheFingerprint(vector);
    const variants: Partial<CacheKeyParts>[] = [
      { inputArtifactIds: { data: [43] } },
      { inputParameterValues: { msg: 'ho' } },
      { outputArtifacts: { model: { schemaTitle: 'system.Model', schemaVersion: '0.0.2' } } },
      { outputParameterTypes: { Output: 'NUMBER_INTEGER' } },
      { image: 'python:3.12' },
      { args: ['x'] },
    ];
    for (const variant of variants) expect(cacheFingerprint({ ...vector, ...variant })).not.toBe(base);
  });

  it('omits proto3 defaults but keeps Values and map entries as they are', () => {
    expect(
      goJson(
        cacheKeyMessage({
          inputArtifactIds: { empty: [] },
          inputParameterValues: { s: '', n: 0, l: [], m: {}, z: null, big: 1e21, tiny: 1e-7, html: '<a&b>' },
          outputArtifacts: {
            o: { schemaTitle: 'system.Artifact', schemaVersion: '' },
            meta: { instanceSchema: 'title: x', metadata: { k: 'v' } },
          },
          outputParameterTypes: {},
          image: '',
          command: [],
          args: [],
        }),
      ),
    ).toBe(
      '{"inputArtifactNames":{"empty":{}},' +
        '"inputParameterValues":{"big":1e+21,"html":"\\u003ca\\u0026b\\u003e","l":[],"m":{},"n":0,"s":"","tiny":1e-7,"z":null},' +
        '"outputArtifactsSpec":{"meta":{"metadata":{"k":"v"},"name":"meta","type":{"instanceSchema":"title: x"}},"o":{"name":"o","type":{"schemaTitle":"system.Artifact"}}}}',
    );
    expect(
      goJson(
        cacheKeyMessage({
          inputArtifactIds: {},
          inputParameterValues: {},
          outputArtifacts: {},
          outputParameterTypes: {},
          image: '',
          command: [],
          args: [],
        }),
      ),
    ).toBe('{}');
  });
});

describe('customCacheFingerprint', () => {
  it('matches the reference example: comp-train + my-key', () => {
    expect(customCacheFingerprint('comp-train', 'my-key')).toBe('06e94c4f005929d2944539cf06fd06cd5df4871ffb1221104332ff8124e42ef6');
  });

  it('hashes the key alone when the component name is empty, and refuses an empty key', () => {
    // sha256("my-key")
    expect(customCacheFingerprint('', 'my-key')).toBe(createHash('sha256').update('my-key').digest('hex'));
    expect(customCacheFingerprint('', 'my-key')).not.toBe(customCacheFingerprint('comp-train', 'my-key'));
    expect(() => customCacheFingerprint('comp-train', '')).toThrow(RangeError);
  });
});

describe('goJson', () => {
  it('sorts keys recursively, writes compactly and escapes like Go', () => {
    expect(goJson({ b: 1, a: { d: [true, null], c: 'x\u2028y' }, u: undefined })).toBe('{"a":{"c":"x\\u2028y","d":[true,null]},"b":1}');
    expect(goJson('é <ok>')).toBe('"é \\u003cok\\u003e"');
  });
});

import { localPathForArtifact, localPathForUri, uriForLocalPath } from '../../../compiler/ir/artifact-paths';

describe('localPathForUri', () => {
  it.each([
    ['gs://bucket/a/b', undefined, '/gcs/bucket/a/b'],
    ['minio://bucket/x', undefined, '/minio/bucket/x'],
    ['s3://bucket/x', undefined, '/s3/bucket/x'],
    ['oci://registry.io/org/model:1', 'system.Artifact', '/oci/registry.io_org_model:1'],
    ['oci://registry.io/org/model:1', 'system.Model', '/oci/registry.io_org_model:1/models'],
    ['/abs/outputs/p/run/task/1/model', 'system.Model', '/abs/outputs/p/run/task/1/model'],
    ['https://example.com/x', undefined, 'https://example.com/x'],
    ['file:///tmp/x', undefined, 'file:///tmp/x'],
  ])('%s (%s) → %s', (uri, schemaTitle, path) => {
    expect(localPathForUri(uri, schemaTitle)).toBe(path);
  });
});

describe('localPathForArtifact', () => {
  it('customPath wins over the mapping', () => {
    expect(localPathForArtifact({ uri: 'gs://b/x', customPath: '/mnt/custom/x' })).toBe('/mnt/custom/x');
    expect(localPathForArtifact({ uri: 'gs://b/x' })).toBe('/gcs/b/x');
    expect(localPathForArtifact({ uri: 'oci://r/m', type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } })).toBe(
      '/oci/r_m/models',
    );
  });
});

describe('uriForLocalPath', () => {
  it('maps mount paths back to remote URIs and leaves other paths alone', () => {
    expect(uriForLocalPath('/gcs/bucket/model')).toBe('gs://bucket/model');
    expect(uriForLocalPath('/s3/b/k')).toBe('s3://b/k');
    expect(uriForLocalPath('/minio/b/k')).toBe('minio://b/k');
    expect(uriForLocalPath('/abs/local/model')).toBe('/abs/local/model');
    expect(uriForLocalPath('/gcsx/not-a-mount')).toBe('/gcsx/not-a-mount');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openLocalRegistry } from '../../serving/registry/local-registry';
import { servingModel } from '../../serving/registry/endpoint-registry';

const fresh = () => openLocalRegistry(fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-registry-')));
const upload = { project: 'local', location: 'us-central1', displayName: 'clf', artifactUri: '/models/a' };

describe('the local model registry', () => {
  it('creates a model with version 1, and adds versions under a parent model', () => {
    const registry = fresh();
    const v1 = registry.models.upload({ ...upload, labels: { team: 'vision' }, versionAliases: ['first'] });
    expect(v1.name).toBe('projects/local/locations/us-central1/models/1@1');
    expect(registry.models.getModel('1')).toMatchObject({
      name: 'projects/local/locations/us-central1/models/1',
      displayName: 'clf',
      labels: { team: 'vision' },
    });
    const v2 = registry.models.upload({
      ...upload,
      artifactUri: '/models/b',
      parentModel: 'projects/local/locations/us-central1/models/1@1',
    });
    expect(v2.name).toBe('projects/local/locations/us-central1/models/1@2');
    const other = registry.models.upload(upload);
    expect(other.name).toBe('projects/local/locations/us-central1/models/2@1');
    expect(registry.models.versions('1').map((v) => [v.versionId, v.artifactUri])).toEqual([
      ['1', '/models/a'],
      ['2', '/models/b'],
    ]);
  });

  it('resolves a version by number, by alias and, without a suffix, to the newest', () => {
    const registry = fresh();
    registry.models.upload({ ...upload, versionAliases: ['stable'] });
    registry.models.upload({ ...upload, parentModel: 'projects/local/locations/us-central1/models/1' });
    expect(registry.models.resolve('projects/local/locations/us-central1/models/1').versionId).toBe('2');
    expect(registry.models.resolve('projects/local/locations/us-central1/models/1@stable').versionId).toBe('1');
    expect(() => registry.models.resolve('projects/local/locations/us-central1/models/1@7')).toThrow(
      "no version or alias '7' (it has 1, 2)",
    );
    expect(() => registry.models.resolve('projects/local/locations/us-central1/models/9')).toThrow('is not in the local registry');
  });

  it('refuses an unknown parent model and an alias another version holds', () => {
    const registry = fresh();
    expect(() => registry.models.upload({ ...upload, parentModel: 'projects/local/locations/us-central1/models/5' })).toThrow(
      'parent model projects/local/locations/us-central1/models/5 is not in the local registry',
    );
    registry.models.upload({ ...upload, versionAliases: ['stable'] });
    expect(() =>
      registry.models.upload({ ...upload, parentModel: 'projects/local/locations/us-central1/models/1', versionAliases: ['stable'] }),
    ).toThrow("version alias 'stable' is already used by projects/local/locations/us-central1/models/1@1");
  });
});

describe('local endpoints', () => {
  const setup = () => {
    const registry = fresh();
    registry.models.upload(upload);
    registry.models.upload({ ...upload, parentModel: 'projects/local/locations/us-central1/models/1', artifactUri: '/models/b' });
    registry.models.upload({ ...upload, parentModel: 'projects/local/locations/us-central1/models/1', artifactUri: '/models/c' });
    const endpoint = registry.endpoints.create({ project: 'local', location: 'us-central1', displayName: 'ep' });
    return { registry, endpoint };
  };

  it('gives the first deployed model 100 % with an empty split, and a new version takes all traffic with {"0": 100}', () => {
    const { registry, endpoint } = setup();
    expect(endpoint.name).toBe('projects/local/locations/us-central1/endpoints/1');
    registry.endpoints.deploy(endpoint.name, 'projects/local/locations/us-central1/models/1@1', {});
    expect(registry.endpoints.get('1')!.trafficSplit).toEqual({ '1': 100 });
    const { deployed } = registry.endpoints.deploy(endpoint.name, 'projects/local/locations/us-central1/models/1@2', { '0': 100 });
    const record = registry.endpoints.get('1')!;
    expect(deployed).toMatchObject({ id: '2', model: 'projects/local/locations/us-central1/models/1@2', artifactUri: '/models/b' });
    expect(record.trafficSplit).toEqual({ '2': 100 });
    expect(servingModel(record)!.id).toBe('2');
    expect(record.trafficHistory.map((c) => c.trafficSplit)).toEqual([{ '1': 100 }, { '2': 100 }]);
  });

  it('leaves the split alone with an empty split once models are deployed, and checks explicit splits', () => {
    const { registry, endpoint } = setup();
    registry.endpoints.deploy(endpoint.name, 'projects/local/locations/us-central1/models/1@1', {});
    registry.endpoints.deploy(endpoint.name, 'projects/local/locations/us-central1/models/1@2', {});
    expect(registry.endpoints.get('1')!.trafficSplit).toEqual({ '1': 100 });
    registry.endpoints.deploy(endpoint.name, 'projects/local/locations/us-central1/models/1@3', { '0': 20, '1': 80 });
    expect(registry.endpoints.get('1')!.trafficSplit).toEqual({ '3': 20, '1': 80 });
    expect(() => registry.endpoints.deploy(endpoint.name, 'projects/local/locations/us-central1/models/1@1', { '0': 50 })).toThrow(
      'adds up to 50 %, not 100',
    );
    expect(() => registry.endpoints.deploy(endpoint.name, 'projects/local/locations/us-central1/models/1@1', { '9': 100 })).toThrow(
      "names deployed model '9', which the endpoint does not have",
    );
    expect(() =>
      registry.endpoints.deploy('projects/local/locations/us-central1/endpoints/4', 'projects/local/locations/us-central1/models/1@1', {}),
    ).toThrow('create it with EndpointCreateOp first');
  });

  it('rolls back to the model deployed before the serving one, step by step, or to a named version', () => {
    const { registry, endpoint } = setup();
    for (const v of ['1', '2', '3'])
      registry.endpoints.deploy(endpoint.name, `projects/local/locations/us-central1/models/1@${v}`, { '0': 100 });
    expect(registry.endpoints.rollback('1').model).toBe('projects/local/locations/us-central1/models/1@2');
    expect(registry.endpoints.get('1')!.trafficSplit).toEqual({ '2': 100 });
    expect(registry.endpoints.rollback('ep').model).toBe('projects/local/locations/us-central1/models/1@1');
    expect(() => registry.endpoints.rollback('1')).toThrow('serves its first deployed model');
    expect(registry.endpoints.rollback(endpoint.name, { toVersion: '3' })).toMatchObject({ id: '3' });
    expect(registry.endpoints.get('1')!.trafficSplit).toEqual({ '3': 100 });
    expect(registry.endpoints.get('1')!.trafficHistory.at(-1)!.reason).toContain('rollback from deployed model 1');
  });

  it('deploys a version the endpoint never had when rolling back to it, and names the endpoints when one is unknown', () => {
    const { registry, endpoint } = setup();
    registry.endpoints.deploy(endpoint.name, 'projects/local/locations/us-central1/models/1@3', {});
    const target = registry.endpoints.rollback('1', { toVersion: '1' });
    expect(target).toMatchObject({ id: '2', model: 'projects/local/locations/us-central1/models/1@1', artifactUri: '/models/a' });
    expect(registry.endpoints.get('1')!.trafficSplit).toEqual({ '2': 100 });
    expect(() => registry.endpoints.find('nope')).toThrow("no local endpoint 'nope'");
    expect(() => registry.endpoints.find('nope')).toThrow('endpoints: 1 (ep)');
  });
});

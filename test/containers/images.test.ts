import { functionComponent, t } from '../../compiler';
import type { ComponentDefinition } from '../../compiler/dsl/component-definition';
import { ImageConfigurationError, containerImage, containerImages } from '../../containers/images';

const registry = 'us-central1-docker.pkg.dev/my-project/kfp-ts';
const commit = '3f2c1ab9d0e4c5b6a7f8e9d0c1b2a3f4e5d6c7b8';

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('container image names', () => {
  test('are the local names when no registry or tag is configured (empty counts as unset)', () => {
    const local = { components: 'kfp-ts-components:latest', trainGpu: 'kfp-ts-train-gpu:latest', serving: 'kfp-ts-serving:latest' };
    expect(containerImages({})).toEqual(local);
    expect(containerImages({ KFP_TS_IMAGE_REGISTRY: '', KFP_TS_IMAGE_TAG: '' })).toEqual(local);
  });

  test('are the registry path and the commit when both are configured', () => {
    expect(containerImages({ KFP_TS_IMAGE_REGISTRY: registry, KFP_TS_IMAGE_TAG: commit })).toEqual({
      components: `${registry}/kfp-ts-components:${commit}`,
      trainGpu: `${registry}/kfp-ts-train-gpu:${commit}`,
      serving: `${registry}/kfp-ts-serving:${commit}`,
    });
    expect(containerImage('serving', { KFP_TS_IMAGE_REGISTRY: 'localhost:5000', KFP_TS_IMAGE_TAG: 'abc1234' })).toBe('localhost:5000/kfp-ts-serving:abc1234');
  });

  test('keep the local names with a tag alone', () => {
    expect(containerImage('trainGpu', { KFP_TS_IMAGE_TAG: 'abc1234' })).toBe('kfp-ts-train-gpu:abc1234');
  });

  test('take KFP_TS_COMPONENT_IMAGE as an explicit override of the components image only', () => {
    const env = { KFP_TS_COMPONENT_IMAGE: 'gcr.io/other/components:v3', KFP_TS_IMAGE_REGISTRY: registry, KFP_TS_IMAGE_TAG: commit };
    expect(containerImage('components', env)).toBe('gcr.io/other/components:v3');
    expect(containerImage('trainGpu', env)).toBe(`${registry}/kfp-ts-train-gpu:${commit}`);
    expect(containerImage('components', { KFP_TS_COMPONENT_IMAGE: `my-components@sha256:${'a'.repeat(64)}` })).toBe(`my-components@sha256:${'a'.repeat(64)}`);
  });

  test.each([
    ['https://us-central1-docker.pkg.dev/p/r', 'has a scheme'],
    [`${registry}/`, "ends with '/'"],
    [`${registry}:v1`, 'includes a tag or digest'],
    ['us-central1-docker.pkg.dev/My-Project/r', 'uppercase'],
    ['my-project/kfp-ts', 'does not start with a registry host'],
    ['us central1/r', 'is not a registry path'],
  ])('reject KFP_TS_IMAGE_REGISTRY=%s, naming the variable, the problem and an example', (value, problem) => {
    const error = errorOf(() => containerImage('components', { KFP_TS_IMAGE_REGISTRY: value, KFP_TS_IMAGE_TAG: commit }));
    expect(error).toBeInstanceOf(ImageConfigurationError);
    expect(error.message).toContain(`KFP_TS_IMAGE_REGISTRY='${value}'`);
    expect(error.message).toContain(problem);
    expect(error.message).toContain('e.g. KFP_TS_IMAGE_REGISTRY=us-central1-docker.pkg.dev/my-project/kfp-ts');
  });

  test('require the commit tag with a registry, and refuse latest there (the Vertex cache key has the name, not the contents)', () => {
    const missing = errorOf(() => containerImage('serving', { KFP_TS_IMAGE_REGISTRY: registry }));
    expect(missing.message).toMatch(/KFP_TS_IMAGE_REGISTRY is set but KFP_TS_IMAGE_TAG is not.*e\.g\. KFP_TS_IMAGE_TAG=\$\(git rev-parse HEAD\)/);
    const latest = errorOf(() => containerImage('serving', { KFP_TS_IMAGE_REGISTRY: registry, KFP_TS_IMAGE_TAG: 'latest' }));
    expect(latest.message).toContain("KFP_TS_IMAGE_TAG='latest'");
  });

  test.each(['feature/x', '-dash', 'a'.repeat(129), 'with space'])('reject KFP_TS_IMAGE_TAG=%s', (value) => {
    const error = errorOf(() => containerImage('components', { KFP_TS_IMAGE_TAG: value }));
    expect(error).toBeInstanceOf(ImageConfigurationError);
    expect(error.message).toContain(`KFP_TS_IMAGE_TAG='${value}' is not a Docker tag`);
    expect(error.message).toContain('e.g. KFP_TS_IMAGE_TAG=$(git rev-parse HEAD)');
  });

  test('reject a KFP_TS_COMPONENT_IMAGE that is not an image reference', () => {
    const error = errorOf(() => containerImage('components', { KFP_TS_COMPONENT_IMAGE: 'Bad Image:1' }));
    expect(error.message).toContain("KFP_TS_COMPONENT_IMAGE='Bad Image:1' is not an image reference");
  });
});

describe('function components', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['KFP_TS_IMAGE_REGISTRY', 'KFP_TS_IMAGE_TAG', 'KFP_TS_COMPONENT_IMAGE']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  function imageOf(component: { definition: ComponentDefinition }): string | undefined {
    const implementation = component.definition.implementation;
    return implementation.kind === 'container' ? implementation.image : undefined;
  }

  function defineNoop() {
    return functionComponent({ name: 'noop', inputs: { x: t.int() }, implementation: () => undefined });
  }

  test('run in the components image named by the environment when they name no image', () => {
    process.env['KFP_TS_IMAGE_REGISTRY'] = registry;
    process.env['KFP_TS_IMAGE_TAG'] = commit;
    delete process.env['KFP_TS_COMPONENT_IMAGE'];
    expect(imageOf(defineNoop())).toBe(`${registry}/kfp-ts-components:${commit}`);
    process.env['KFP_TS_COMPONENT_IMAGE'] = 'gcr.io/other/components:v3';
    expect(imageOf(defineNoop())).toBe('gcr.io/other/components:v3');
  });

  test('fail to define, naming the variable, when the environment is wrong', () => {
    process.env['KFP_TS_IMAGE_REGISTRY'] = registry;
    delete process.env['KFP_TS_IMAGE_TAG'];
    delete process.env['KFP_TS_COMPONENT_IMAGE'];
    expect(() => defineNoop()).toThrow(/KFP_TS_IMAGE_TAG is not/);
  });
});

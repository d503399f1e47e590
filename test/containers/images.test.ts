import { compilePipeline, toPipelineJson } from '../../compiler';
import { ImageConfigurationError, containerImage, containerImages } from '../../containers/images';
import imageClassifier from '../../pipelines/image-classifier';
import { classifierCompileOptions, classifierImage } from '../support/classifier-compile-options';

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
    expect(containerImage('serving', { KFP_TS_IMAGE_REGISTRY: 'localhost:5000', KFP_TS_IMAGE_TAG: 'abc1234' })).toBe(
      'localhost:5000/kfp-ts-serving:abc1234',
    );
  });

  test('keep the local names with a tag alone', () => {
    expect(containerImage('trainGpu', { KFP_TS_IMAGE_TAG: 'abc1234' })).toBe('kfp-ts-train-gpu:abc1234');
  });

  test('take KFP_TS_COMPONENT_IMAGE as an explicit override of the components image only', () => {
    const env = { KFP_TS_COMPONENT_IMAGE: 'gcr.io/other/components:v3', KFP_TS_IMAGE_REGISTRY: registry, KFP_TS_IMAGE_TAG: commit };
    expect(containerImage('components', env)).toBe('gcr.io/other/components:v3');
    expect(containerImage('trainGpu', env)).toBe(`${registry}/kfp-ts-train-gpu:${commit}`);
    expect(containerImage('components', { KFP_TS_COMPONENT_IMAGE: `my-components@sha256:${'a'.repeat(64)}` })).toBe(
      `my-components@sha256:${'a'.repeat(64)}`,
    );
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
    expect(missing.message).toMatch(
      /KFP_TS_IMAGE_REGISTRY is set but KFP_TS_IMAGE_TAG is not.*e\.g\. KFP_TS_IMAGE_TAG=\$\(git rev-parse HEAD\)/,
    );
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

/**
 * Compiling reads no environment: function components no longer take their image from
 * KFP_TS_IMAGE_REGISTRY / KFP_TS_IMAGE_TAG / KFP_TS_COMPONENT_IMAGE (containerImage() above is only
 * for Cloud Build-style checks, with its env passed in). The images come from the compile options
 * (which the CLI builds from kfp-ts.config.ts), so the same options give the same IR whatever the
 * variables hold: set to values that used to name other images, set to junk that used to throw,
 * or unset.
 */
describe('compilation', () => {
  const VARIABLES = ['KFP_TS_IMAGE_REGISTRY', 'KFP_TS_IMAGE_TAG', 'KFP_TS_COMPONENT_IMAGE'] as const;
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  function withVariables<T>(values: Partial<Record<(typeof VARIABLES)[number], string>>, run: () => T): T {
    for (const name of VARIABLES) {
      const value = values[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return run();
  }

  const settings = {
    unset: {},
    'naming other images': {
      KFP_TS_IMAGE_REGISTRY: registry,
      KFP_TS_IMAGE_TAG: commit,
      KFP_TS_COMPONENT_IMAGE: 'gcr.io/other/components:v3',
    },
    junk: { KFP_TS_IMAGE_REGISTRY: 'https://Not A/Registry/', KFP_TS_IMAGE_TAG: '-not a tag-', KFP_TS_COMPONENT_IMAGE: 'Bad Image:1' },
    'a registry without a tag': { KFP_TS_IMAGE_REGISTRY: registry },
    empty: { KFP_TS_IMAGE_REGISTRY: '', KFP_TS_IMAGE_TAG: '', KFP_TS_COMPONENT_IMAGE: '' },
  };

  test('of the image classifier gives the same IR, with the configured images, whatever the KFP_TS_* image variables hold', () => {
    const options = classifierCompileOptions();
    const compiled = Object.fromEntries(
      Object.entries(settings).map(([what, values]) => [
        what,
        withVariables(values, () => toPipelineJson(compilePipeline(imageClassifier, options))),
      ]),
    );
    for (const [what, json] of Object.entries(compiled)) expect({ what, same: json === compiled['unset'] }).toEqual({ what, same: true });
    const spec = JSON.parse(compiled['unset']!) as { deploymentSpec: { executors: Record<string, { container?: { image: string } }> } };
    const images = Object.values(spec.deploymentSpec.executors).flatMap((executor) =>
      executor.container ? [executor.container.image] : [],
    );
    expect(images).toEqual(expect.arrayContaining([classifierImage('components'), classifierImage('train-gpu')]));
    for (const value of Object.values(settings['naming other images'])) expect(compiled['unset']).not.toContain(value);
  });

  test('of a function component that names no image gives a lightweight step on the Node image, whatever the variables hold', () => {
    // Defined (its module loaded) while the variables hold junk, which used to fail the definition.
    const { noop } = withVariables(settings.junk, () => require('./fixtures/noop-step') as typeof import('./fixtures/noop-step'));
    expect(noop.definition.implementation).toMatchObject({ kind: 'function', packaging: { kind: 'lightweight' } });
    const containers = Object.entries(settings).map(([what, values]) => {
      const container = withVariables(values, () => compilePipeline(noop).deploymentSpec!.executors['exec-noop']!.container!);
      return { what, image: container.image, command: container.command!.slice(0, 2) };
    });
    expect(containers).toEqual(Object.keys(settings).map((what) => ({ what, image: 'node:20-slim', command: ['sh', '-ec'] })));
  });
});

import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { cloudBuildImagesConfig, cloudBuildSourceFolder, DOCKER_BUILDER } from '../../project/cloud-build-images';
import { resolveProjectImages } from '../../project/compile-options';
import type { LoadedConfig } from '../../project/load-config';
import { substitutionsUsed, type BuildConfig } from '../containers/cloudbuild-config';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../containers/cloudbuild.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** A project with two images: the whole folder, and a tools/ sub-context with its own Dockerfile. */
function twoImageProject(): LoadedConfig {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-cloud-build-'));
  fs.writeFileSync(path.join(folder, 'Dockerfile'), 'FROM node:20-slim\n');
  fs.mkdirSync(path.join(folder, 'tools'));
  fs.writeFileSync(path.join(folder, 'tools', 'Dockerfile'), 'FROM alpine\n');
  return {
    file: path.join(folder, 'kfp-ts.config.json'),
    folder,
    config: {
      registry: 'europe-west4-docker.pkg.dev/my-project/ml',
      images: { steps: {}, tools: { dockerfile: 'tools/Dockerfile', context: 'tools', repository: 'team/tools' } },
    },
  };
}

describe('cloudBuildImagesConfig', () => {
  const loaded = twoImageProject();
  const images = resolveProjectImages(loaded);
  const text = cloudBuildImagesConfig(images, loaded.file!, 'gcloud builds submit --config cb.yaml .');
  const config = yaml.load(text) as BuildConfig;
  const [steps, tools] = images;

  it('is a valid Cloud Build config that uses no substitution', () => {
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    expect([...substitutionsUsed(config)]).toEqual([]);
    expect(text).toMatch(/^# Builds and pushes the images of kfp-ts.config.json/);
    expect(text).toContain('# Submit it with: gcloud builds submit --config cb.yaml .');
  });

  it('builds each image with its exact tag, from paths inside the submitted folder, and pushes it', () => {
    expect(cloudBuildSourceFolder(images)).toBe(loaded.folder);
    expect(steps!.image).toMatch(/^europe-west4-docker\.pkg\.dev\/my-project\/ml\/steps:src-[0-9a-f]{20}$/);
    expect(tools!.image).toMatch(/^europe-west4-docker\.pkg\.dev\/my-project\/ml\/team\/tools:src-[0-9a-f]{20}$/);
    expect(config.steps).toEqual([
      {
        id: 'build-steps',
        name: DOCKER_BUILDER,
        args: ['build', '-f', 'Dockerfile', '-t', steps!.image, '.'],
        env: ['DOCKER_BUILDKIT=1'],
        waitFor: ['-'],
      },
      { id: 'push-steps', name: DOCKER_BUILDER, args: ['push', steps!.image], waitFor: ['build-steps'] },
      {
        id: 'build-tools',
        name: DOCKER_BUILDER,
        args: ['build', '-f', 'tools/Dockerfile', '-t', tools!.image, 'tools'],
        env: ['DOCKER_BUILDKIT=1'],
        waitFor: ['-'],
      },
      { id: 'push-tools', name: DOCKER_BUILDER, args: ['push', tools!.image], waitFor: ['build-tools'] },
    ]);
    expect(config.images).toEqual([steps!.image, tools!.image]);
  });

  it('submits the innermost folder that holds every context and Dockerfile', () => {
    const only = resolveProjectImages({
      ...loaded,
      config: { ...loaded.config, images: { tools: { dockerfile: 'tools/Dockerfile', context: 'tools' } } },
    });
    expect(cloudBuildSourceFolder(only)).toBe(path.join(loaded.folder, 'tools'));
    const written = yaml.load(cloudBuildImagesConfig(only, loaded.file!, 'x')) as BuildConfig;
    expect(written.steps[0]!.args).toEqual(['build', '-f', 'Dockerfile', '-t', only[0]!.image, '.']);
  });

  it('writes a dollar in a path as $$, so Cloud Build does not take it for a substitution', () => {
    const dollar = path.join(loaded.folder, 'a$b');
    fs.mkdirSync(dollar);
    fs.writeFileSync(path.join(dollar, 'Dockerfile'), 'FROM alpine\n');
    const withDollar = resolveProjectImages({
      ...loaded,
      config: { ...loaded.config, images: { steps: {}, d: { dockerfile: 'a$b/Dockerfile', context: 'a$b' } } },
    });
    const written = yaml.load(cloudBuildImagesConfig(withDollar, loaded.file!, 'x')) as BuildConfig;
    expect(written.steps[2]!.args).toEqual(['build', '-f', 'a$$b/Dockerfile', '-t', withDollar[1]!.image, 'a$$b']);
  });
});

/**
 * cloudbuild.yaml is a valid Cloud Build config (checked against the documented schema, strictly,
 * so typos fail here), its substitutions are declared, and it installs, tests, builds and pushes
 * the three images under the names containers/images.ts gives the compile step, before it submits.
 */
import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGES, containerImage, type ImageRole } from '../../containers/images';
import {
  BUILT_IN_SUBSTITUTIONS,
  loadBuildConfig,
  stepById,
  stepCommand,
  stepPrerequisites,
  substitute,
  substitutionsUsed,
  triggerValues,
  type BuildConfig,
} from './cloudbuild-config';
import { Dockerfile } from './dockerfile';

const root = path.resolve(__dirname, '../..');
const config = loadBuildConfig(path.join(root, 'cloudbuild.yaml'));
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'cloudbuild.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const values = triggerValues(config);

function schemaErrors(candidate: unknown): string[] {
  return validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

function mutated(change: (copy: any) => void): BuildConfig {
  const copy = JSON.parse(JSON.stringify(config)) as BuildConfig;
  change(copy);
  return copy;
}

const roles = Object.keys(IMAGES) as ImageRole[];
const compileEnv = stepCommand(stepById(config, 'compile'), values).env;
const expectedImage = (role: ImageRole) => containerImage(role, compileEnv);

describe('cloudbuild.yaml', () => {
  test("matches Cloud Build's build config schema", () => {
    expect(schemaErrors(config)).toEqual([]);
  });

  test.each([
    ['a misspelt step field', (c: any) => { c.steps[1].waitfor = c.steps[1].waitFor; delete c.steps[1].waitFor; }, '/steps/1 must NOT have additional properties {"additionalProperty":"waitfor"}'],
    ['a misspelt top-level field', (c: any) => { c.option = c.options; delete c.options; }, '/ must NOT have additional properties {"additionalProperty":"option"}'],
    ['an unknown machine type', (c: any) => { c.options.machineType = 'E2_HIGHCPU_64'; }, '/options/machineType must be equal to one of the allowed values'],
    ['a timeout without its unit', (c: any) => { c.timeout = '7200'; }, '/timeout must match pattern'],
    ['a substitution without the leading _', (c: any) => { c.substitutions.REGION = 'x'; }, '/substitutions property name must be valid'],
    ['a step with both script and args', (c: any) => { c.steps[1].script = 'npm ci'; }, '/steps/1 must NOT be valid'],
  ])('would reject %s', (_what, change, error) => {
    expect(schemaErrors(mutated(change)).join('\n')).toContain(error);
  });

  test('declares every substitution it uses that Cloud Build does not define, each starting with _, and uses every one it declares', () => {
    const used = substitutionsUsed(config);
    const declared = Object.keys(config.substitutions ?? {});
    expect([...used].filter((name) => !BUILT_IN_SUBSTITUTIONS.has(name) && !declared.includes(name))).toEqual([]);
    expect(declared.filter((name) => !/^_[A-Z0-9_]+$/.test(name))).toEqual([]);
    expect(declared.filter((name) => !used.has(name))).toEqual([]);
    // `$$` is bash's `$`, not a substitution.
    expect(substitute('$${!name} ${_REGION} $PROJECT_ID', values)).toBe(`\${!name} ${values['_REGION']} my-project`);
  });

  test('has unique step ids, and waits only for steps it has', () => {
    const ids = config.steps.map((step) => step.id);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const waits = config.steps.flatMap((step) => step.waitFor ?? []).filter((id) => id !== '-');
    expect(waits.filter((id) => !ids.includes(id))).toEqual([]);
  });

  test('runs Node steps on the Node image the containers are built from', () => {
    const containerNode = new Dockerfile(path.join(root, IMAGES.components.dockerfile)).externalImages.find((image) => image.startsWith('node:'));
    const nodeSteps = config.steps.filter((step) => step.name.startsWith('node:'));
    expect(nodeSteps.length).toBeGreaterThan(0);
    for (const step of nodeSteps) expect(step.name.split('-')[0]).toBe(containerNode!.split('-')[0]);
  });

  test('installs, then tests, then builds and pushes each image, and submits only after every push and the compile', () => {
    const before = stepPrerequisites(config);
    expect([...before.get('test')!]).toContain('install');
    for (const role of roles) {
      const suffix = IMAGES[role].repository.replace(/^kfp-ts-/, '');
      expect([...before.get(`build-${suffix}`)!]).toContain('test');
      expect([...before.get(`push-${suffix}`)!]).toContain(`build-${suffix}`);
      expect([...before.get('submit')!]).toContain(`push-${suffix}`);
    }
    expect([...before.get('compile')!]).toContain('test');
    expect([...before.get('submit')!]).toContain('compile');
  });

  test.each(roles)('builds, pushes and lists the %s image under the name the compile step gives it, tagged with the commit', (role) => {
    const image = expectedImage(role);
    expect(image).toBe(`${values['_REGION']}-docker.pkg.dev/my-project/${values['_REPOSITORY']}/${IMAGES[role].repository}:${values['COMMIT_SHA']}`);
    const suffix = IMAGES[role].repository.replace(/^kfp-ts-/, '');
    const build = stepCommand({ ...stepById(config, `build-${suffix}`), entrypoint: 'docker' }, values).argv;
    expect(build).toEqual(['docker', 'build', `--file=${IMAGES[role].dockerfile}`, `--tag=${image}`, '.']);
    expect(stepCommand({ ...stepById(config, `push-${suffix}`), entrypoint: 'docker' }, values).argv).toEqual(['docker', 'push', image]);
    expect((config.images ?? []).map((listed) => substitute(listed, values))).toContain(image);
  });

  test('submits what it compiled, with caching on, to the configured project, region, bucket and service account', () => {
    const compile = stepCommand(stepById(config, 'compile'), values).argv;
    const submit = stepCommand(stepById(config, 'submit'), values).argv;
    const output = compile.find((arg) => arg.startsWith('--output='))!.slice('--output='.length);
    expect(submit.slice(0, 4)).toEqual(['node', 'cli/bin/kfp-ts.js', 'submit', output]);
    expect(submit).toEqual(
      expect.arrayContaining([
        '--enable-caching',
        '--project=my-project',
        `--region=${values['_REGION']}`,
        '--pipeline-root=gs://my-bucket/pipeline-root',
        `--service-account=${values['_SERVICE_ACCOUNT']}`,
        `--param=manifest=${values['_MANIFEST']}`,
      ]),
    );
  });
});

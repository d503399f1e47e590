/**
 * cloudbuild.yaml is a valid Cloud Build config (checked against the documented schema, strictly,
 * so typos fail here), its substitutions are declared, and it installs, tests, builds and pushes
 * the images of kfp-ts.config.ts under the references `kfp-ts build --print-tags` gives (their
 * content-hash tags, which `kfp-ts compile --registry` gives the pipeline too) and under the
 * commit, before it submits. cloudbuild-steps.test.ts runs those steps.
 */
import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFor } from '../../project/load-config';
import {
  BUILT_IN_SUBSTITUTIONS,
  loadBuildConfig,
  optionValue,
  scriptCommands,
  stepById,
  stepCommand,
  stepPrerequisites,
  substitute,
  substitutionsUsed,
  triggerValues,
  type BuildConfig,
} from './cloudbuild-config';
import { Dockerfile } from './dockerfile';
import { DockerIgnore } from './dockerignore';

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

/** The images kfp-ts.config.ts defines, which the build builds and the pipeline's steps run in. */
const projectImages = loadConfigFor(path.join(root, 'pipelines/image-classifier.ts')).config.images ?? {};
const names = Object.keys(projectImages);
/** The registry path the images go to (the trigger's region, project and repository). */
const registry = `${values['_REGION']}-docker.pkg.dev/my-project/${values['_REPOSITORY']}`;
const TAGS_FILE = '.kfp-ts/image-tags.txt';
/** `image=$(awk …)`: the line of a script that takes an image's reference from the image-tags step's file. */
const readsReference = (variable: string, name: string) => [`${variable}=$(awk`, `$1 == "${name}" { print $2 }`, `${TAGS_FILE})`];

describe('cloudbuild.yaml', () => {
  test("matches Cloud Build's build config schema", () => {
    expect(schemaErrors(config)).toEqual([]);
  });

  test.each([
    [
      'a misspelt step field',
      (c: any) => {
        c.steps[1].waitfor = c.steps[1].waitFor;
        delete c.steps[1].waitFor;
      },
      '/steps/1 must NOT have additional properties {"additionalProperty":"waitfor"}',
    ],
    [
      'a misspelt top-level field',
      (c: any) => {
        c.option = c.options;
        delete c.options;
      },
      '/ must NOT have additional properties {"additionalProperty":"option"}',
    ],
    [
      'an unknown machine type',
      (c: any) => {
        c.options.machineType = 'E2_HIGHCPU_64';
      },
      '/options/machineType must be equal to one of the allowed values',
    ],
    [
      'a timeout without its unit',
      (c: any) => {
        c.timeout = '7200';
      },
      '/timeout must match pattern',
    ],
    [
      'a substitution without the leading _',
      (c: any) => {
        c.substitutions.REGION = 'x';
      },
      '/substitutions property name must be valid',
    ],
    [
      'a step with both script and args',
      (c: any) => {
        c.steps[1].script = 'npm ci';
      },
      '/steps/1 must NOT be valid',
    ],
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
    const containerNode = new Dockerfile(path.join(root, projectImages['components']!.dockerfile!)).externalImages.find((image) =>
      image.startsWith('node:'),
    );
    const nodeSteps = config.steps.filter((step) => step.name.startsWith('node:'));
    expect(nodeSteps.length).toBeGreaterThan(0);
    for (const step of nodeSteps) expect(step.name.split('-')[0]).toBe(containerNode!.split('-')[0]);
  });

  test('installs, then tests, then prints the image references, then builds and pushes each image, and submits only after every push and the compile', () => {
    const before = stepPrerequisites(config);
    expect([...before.get('test')!]).toContain('install');
    expect([...before.get('image-tags')!]).toContain('test');
    for (const name of names) {
      expect([...before.get(`build-${name}`)!]).toEqual(expect.arrayContaining(['test', 'image-tags']));
      expect([...before.get(`push-${name}`)!]).toContain(`build-${name}`);
      expect([...before.get('submit')!]).toContain(`push-${name}`);
    }
    expect([...before.get('compile')!]).toContain('test');
    expect([...before.get('submit')!]).toEqual(expect.arrayContaining(['compile', 'image-tags']));
  });

  test('runs nothing beside the image-tags and compile steps that could change the build context they hash', () => {
    // Both hash the context; only steps that write nothing there but .kfp-ts/ may run between them.
    const before = stepPrerequisites(config);
    const concurrent = config.steps
      .map((step) => step.id!)
      .filter((id) => !before.get('image-tags')!.has(id) || !before.get('compile')!.has(id));
    expect(concurrent.sort()).toEqual(
      ['compile', 'image-tags', 'submit', ...names.flatMap((name) => [`build-${name}`, `push-${name}`])].sort(),
    );
  });

  test("prints the references of the images of kfp-ts.config.ts in the trigger's registry into .kfp-ts/ (left out of the context)", () => {
    const commands = scriptCommands(stepById(config, 'image-tags'), values);
    expect(commands).toContainEqual(['node', 'cli/bin/kfp-ts.js', 'build', '--print-tags', `--registry=${registry}`, '>', TAGS_FILE]);
    expect(commands[0]).toEqual(['set', '-euo', 'pipefail']);
    const ignore = DockerIgnore.read(path.join(root, '.dockerignore'));
    const compiled = optionValue(stepCommand(stepById(config, 'compile'), values).argv, '--output')!;
    expect([TAGS_FILE, compiled].filter((file) => !ignore.ignores(file))).toEqual([]);
  });

  test.each(names)('builds, pushes and lists the %s image under the reference image-tags printed and under the commit', (name) => {
    const { dockerfile, repository } = projectImages[name]!;
    const byCommit = `${registry}/${repository}:${values['COMMIT_SHA']}`;
    const missing = `\${image:?no ${name} image in ${TAGS_FILE}}`;
    const build = scriptCommands(stepById(config, `build-${name}`), values);
    expect(build).toEqual([
      ['set', '-euo', 'pipefail'],
      readsReference('image', name),
      ['docker', 'build', `--file=${dockerfile}`, `--tag=${missing}`, `--tag=${byCommit}`, '.'],
    ]);
    const push = scriptCommands(stepById(config, `push-${name}`), values);
    expect(push).toEqual([
      ['set', '-euo', 'pipefail'],
      readsReference('image', name),
      ['docker', 'push', missing],
      ['docker', 'push', byCommit],
    ]);
    expect((config.images ?? []).map((listed) => substitute(listed, values))).toContain(byCommit);
  });

  test("compiles with the registry and no environment: the steps' images are the content-hash references of kfp-ts.config.ts", () => {
    const compile = stepCommand(stepById(config, 'compile'), values);
    expect(compile.argv).toEqual([
      'node',
      'cli/bin/kfp-ts.js',
      'compile',
      'pipelines/image-classifier.ts',
      '--registry',
      registry,
      '--output',
      '.kfp-ts/image-classifier.json',
    ]);
    expect(config.steps.filter((step) => (step.env ?? []).some((entry) => entry.startsWith('KFP_TS_')))).toEqual([]);
  });

  test('submits what it compiled, with caching on and the serving image it built, to the configured project, region, bucket and service account', () => {
    const output = optionValue(stepCommand(stepById(config, 'compile'), values).argv, '--output');
    const commands = scriptCommands(stepById(config, 'submit'), values);
    expect(commands.slice(0, 2)).toEqual([['set', '-euo', 'pipefail'], readsReference('serving', 'serving')]);
    const submit = commands[2]!;
    expect(submit.slice(0, 5)).toEqual(['exec', 'node', 'cli/bin/kfp-ts.js', 'submit', output]);
    expect(submit).toEqual(
      expect.arrayContaining([
        '--enable-caching',
        '--project=my-project',
        `--region=${values['_REGION']}`,
        '--pipeline-root=gs://my-bucket/pipeline-root',
        `--service-account=${values['_SERVICE_ACCOUNT']}`,
        `--param=manifest=${values['_MANIFEST']}`,
        `--param=servingImage=\${serving:?no serving image in ${TAGS_FILE}}`,
      ]),
    );
    expect(commands).toHaveLength(3);
  });
});

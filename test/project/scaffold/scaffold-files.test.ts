import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contextFiles } from '../../../project/image-hash';
import { initProject } from '../../../project/init-project';
import { npmPackageName } from '../../../project/scaffold/package-json';
import {
  BUILT_IN_SUBSTITUTIONS,
  loadBuildConfig,
  stepById,
  stepPrerequisites,
  substitutionsUsed,
} from '../../containers/cloudbuild-config';

const folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-scaffold-')), 'team-pipelines');
initProject({ folder, kfpTsSpec: '^9.8.7' });
const read = (file: string) => fs.readFileSync(path.join(folder, file), 'utf8');

describe('the scaffolded project', () => {
  it('package.json: private, the scripts, kfp-ts as a dependency, typescript and @types/node for development', () => {
    expect(JSON.parse(read('package.json'))).toEqual({
      name: 'team-pipelines',
      version: '0.1.0',
      private: true,
      description: expect.any(String),
      engines: { node: '>=20' },
      scripts: {
        test: 'tsc --noEmit && node --test --require kfp-ts/register test/*.test.ts',
        compile: 'kfp-ts compile pipelines/pipeline.ts -o build/pipeline.yaml',
        run: 'kfp-ts run pipelines/pipeline.ts',
        'build-images': 'kfp-ts build',
      },
      dependencies: { 'kfp-ts': '^9.8.7' },
      devDependencies: { '@types/node': '^20.19.0', typescript: '~5.9.3' },
    });
  });

  it("tsconfig.json: strict, node16 resolution (so kfp-ts's exports map decides what can be imported), the project's folders", () => {
    const config = JSON.parse(read('tsconfig.json'));
    expect(config.compilerOptions).toMatchObject({
      strict: true,
      module: 'node16',
      moduleResolution: 'node16',
      target: 'ES2022',
      noEmit: true,
      skipLibCheck: false,
    });
    expect(config.include).toEqual(['pipelines', 'components', 'test', 'kfp-ts.config.ts']);
  });

  it('kfp-ts.config.ts defines the steps image from the Dockerfile and the whole folder', () => {
    expect(read('kfp-ts.config.ts')).toContain("import { defineConfig } from 'kfp-ts/config';");
    expect(read('kfp-ts.config.ts')).toContain("steps: { dockerfile: 'Dockerfile', context: '.' },");
    expect(read('kfp-ts.config.ts')).toMatch(/\/\/ registry: '.*'/);
  });

  it('one lightweight and one containerized step, wired by the pipeline', () => {
    expect(read('components/word-count.ts')).not.toContain('targetImage');
    expect(read('components/word-report.ts')).toContain("targetImage: projectImage('steps')");
    expect(read('pipelines/pipeline.ts')).toContain('export default pipeline(');
    expect(read('test/steps.test.ts')).toContain("import { runStep } from 'kfp-ts/testing';");
    expect(read('test/pipeline.test.ts')).toContain("import { compilePipeline } from 'kfp-ts';");
  });

  it('Dockerfile: node:20-slim, the lock file installed, the project in /app with kfp-ts on PATH', () => {
    const lines = read('Dockerfile')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines).toEqual([
      'FROM node:20-slim',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN npm ci --omit=dev --no-audit --no-fund',
      'COPY . .',
      'ENV PATH=/app/node_modules/.bin:$PATH',
    ]);
  });

  it('the image (and so its tag) holds the steps and what runs them, not tests, pipelines, docs, CI or outputs', () => {
    for (const extra of [
      'build/pipeline.yaml',
      '.kfp-ts/image-tags.txt',
      'cloudbuild.images.yaml',
      'npm-debug.log',
      'node_modules/kfp-ts/package.json',
    ]) {
      fs.mkdirSync(path.dirname(path.join(folder, extra)), { recursive: true });
      fs.writeFileSync(path.join(folder, extra), 'x');
    }
    expect(contextFiles(folder)).toEqual([
      '.dockerignore',
      '.gitignore',
      'Dockerfile',
      'components/word-count.ts',
      'components/word-report.ts',
      'kfp-ts.config.ts',
      'package.json',
      'tsconfig.json',
    ]);
  });

  describe('cloudbuild.yaml', () => {
    const config = loadBuildConfig(path.join(folder, 'cloudbuild.yaml'));
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../containers/cloudbuild.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

    it("matches Cloud Build's schema and declares every substitution it uses", () => {
      expect(validate(config) ? [] : validate.errors).toEqual([]);
      const undeclared = [...substitutionsUsed(config)].filter(
        (name) => !BUILT_IN_SUBSTITUTIONS.has(name) && !(name in (config.substitutions ?? {})),
      );
      expect(undeclared).toEqual([]);
    });

    it('tests before building, builds the image under the tag kfp-ts prints, submits after the image is pushed', () => {
      const before = stepPrerequisites(config);
      expect(stepById(config, 'image-tags').args!.join(' ')).toContain(
        'npx kfp-ts build --print-tags --registry=${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPOSITORY} > .kfp-ts/image-tags.txt',
      );
      expect(stepById(config, 'build-steps-image').args!.join(' ')).toContain('docker build -f Dockerfile -t "$$ref" .');
      expect(stepById(config, 'compile').args).toContain('--registry=${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPOSITORY}');
      expect([...before.get('build-steps-image')!].sort()).toEqual(['check-settings', 'image-tags', 'install', 'test']);
      expect([...before.get('submit')!].sort()).toEqual([
        'build-steps-image',
        'check-settings',
        'compile',
        'image-tags',
        'install',
        'test',
      ]);
    });
  });
});

describe('npmPackageName', () => {
  it.each([
    ['word-counts', 'word-counts'],
    ['Word Counts!', 'word-counts'],
    ['_private.thing', 'private.thing'],
    ['kfp-ts', 'kfp-ts-pipelines'],
    ['???', 'kfp-pipelines'],
  ])('%s → %s', (folderName, name) => {
    expect(npmPackageName(folderName)).toBe(name);
  });
});

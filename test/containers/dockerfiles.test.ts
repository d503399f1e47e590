/**
 * Static checks of containers/*\/Dockerfile (Docker cannot run here), for each image of
 * kfp-ts.config.ts: each parses, pulls only pinned images, copies files that exist and that
 * .dockerignore lets through, copies everything `kfp-ts`, the image-classifier steps compiled to
 * run in it and its start command load, installs the production dependencies with the workspace
 * package (which must include every package those load), puts `kfp-ts` on PATH where steps run
 * `kfp-ts exec-component …`, and starts a command that exists in the image.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePipeline } from '../../compiler';
import { IMAGES } from '../../containers/images';
import imageClassifier from '../../pipelines/image-classifier';
import { contextFiles } from '../../project/image-hash';
import { loadConfigFor } from '../../project/load-config';
import { GOLDEN_IMAGES, goldenCompileOptions, type ClassifierImageName } from '../support/classifier-compile-options';
import { Dockerfile, envPairs, execForm, type Instruction } from './dockerfile';
import { DockerIgnore } from './dockerignore';
import { sourceClosure } from './source-closure';

const root = path.resolve(__dirname, '../..');
const lockfile = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
};
const dockerIgnore = DockerIgnore.read(path.join(root, '.dockerignore'));
const config = loadConfigFor(path.join(root, 'pipelines/image-classifier.ts'));
const configImages = config.config.images ?? {};
const imageNames = Object.keys(configImages) as ClassifierImageName[];
/** The workspace package the classifier's steps and prediction server live in. */
const WORKSPACE_PACKAGE = 'components/image-classifier';

/**
 * The modules the compiled image classifier runs in each project image: its containerized steps
 * compile to `kfp-ts exec-component <module> <name>`, run from the image's /app.
 */
const stepModules: Record<string, string[]> = {};
for (const executor of Object.values(compilePipeline(imageClassifier, goldenCompileOptions()).deploymentSpec!.executors)) {
  const container = executor.container;
  if (container?.command?.[0] !== 'kfp-ts') continue;
  expect(container.command.slice(0, 2)).toEqual(['kfp-ts', 'exec-component']);
  const name = Object.entries(GOLDEN_IMAGES).find(([, image]) => image === container.image)?.[0];
  if (name === undefined) throw new Error(`a step runs in ${container.image}, which is none of the project's images`);
  (stepModules[name] ??= []).push(container.command[2]!);
}

/** Repository paths a Dockerfile copies from the build context. */
function copiedPaths(dockerfile: Dockerfile): string[] {
  return dockerfile.contextCopies.flatMap((copy) => copy.sources.map((source) => source.replace(/^\.\//, '').replace(/\/+$/, '')));
}

function isCopied(file: string, copied: readonly string[]): boolean {
  return copied.some((source) => file === source || file.startsWith(`${source}/`));
}

/** A path in the image as a repository path: the images copy the repository into /app. */
function repositoryPath(imagePath: string): string {
  return imagePath.replace(/^\/app\//, '');
}

/** Installed by `npm ci --omit=dev`: in the lockfile's tree and not marked as needed only for development. */
function installedForProduction(name: string): boolean {
  const entry = lockfile.packages[`node_modules/${name}`];
  return entry !== undefined && entry.dev !== true && entry.devOptional !== true;
}

/** The first word of a command run by `node`: the script it starts, relative to /app. */
function nodeScript(command: readonly string[]): string | undefined {
  return command[0] === 'node' ? command.find((word, index) => index > 0 && !word.startsWith('-')) : undefined;
}

/** The ENTRYPOINT or CMD the image starts (the last one of the final stage). */
function startInstruction(dockerfile: Dockerfile): Instruction | undefined {
  return [...dockerfile.finalStage.instructions].reverse().find((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
}

test('kfp-ts.config.ts and containers/images.ts name the same images, Dockerfiles and repositories', () => {
  const fromConfig = imageNames
    .map((name) => ({ dockerfile: configImages[name]!.dockerfile, repository: configImages[name]!.repository }))
    .sort((a, b) => a.repository!.localeCompare(b.repository!));
  const fromImages = Object.values(IMAGES)
    .map(({ dockerfile, repository }) => ({ dockerfile, repository }))
    .sort((a, b) => a.repository.localeCompare(b.repository));
  expect(fromConfig).toEqual(fromImages);
  expect(imageNames.map((name) => configImages[name]!.context ?? '.')).toEqual(imageNames.map(() => '.'));
});

test('the image classifier runs its steps in the components and train-gpu images', () => {
  expect(Object.fromEntries(Object.entries(stepModules).map(([name, modules]) => [name, [...modules].sort()]))).toEqual({
    components: [
      `${WORKSPACE_PACKAGE}/evaluate/component.ts`,
      `${WORKSPACE_PACKAGE}/export/component.ts`,
      `${WORKSPACE_PACKAGE}/preprocess/component.ts`,
      `${WORKSPACE_PACKAGE}/serving-bundle/component.ts`,
    ],
    'train-gpu': [`${WORKSPACE_PACKAGE}/train/component.ts`],
  });
});

describe.each(imageNames)('the %s Dockerfile', (name) => {
  const relativeDockerfile = configImages[name]!.dockerfile!;
  const dockerfile = new Dockerfile(path.join(root, relativeDockerfile));
  const copied = copiedPaths(dockerfile);
  const modules = stepModules[name] ?? [];
  const start = startInstruction(dockerfile);
  const startCommand = start ? execForm(start) : [];
  const startScript = nodeScript(startCommand);
  // What runs in the image: the CLI, the steps compiled to run in it, and the script it starts.
  const closure = sourceClosure(root, ['cli/bin/kfp-ts.js', ...modules, ...(startScript ? [repositoryPath(startScript)] : [])]);
  test('parses, and works in /app like the command compiled function components run', () => {
    expect(dockerfile.stages.length).toBeGreaterThan(0);
    const workdirs = dockerfile.finalStage.instructions.filter((i) => i.keyword === 'WORKDIR').map((i) => i.text);
    expect(workdirs[workdirs.length - 1]).toBe('/app');
  });

  test('pulls only images pinned to a version tag or digest', () => {
    const images = dockerfile.externalImages;
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      const tag = /^[^@]+:([\w][\w.-]*)$/.exec(image.split('/').pop()!)?.[1];
      const pinned = image.includes('@sha256:') || (tag !== undefined && tag !== 'latest' && /\d/.test(tag));
      if (!pinned)
        throw new Error(`${relativeDockerfile}: '${image}' is not pinned: give a version tag (e.g. node:20.20.2-bookworm) or a digest`);
    }
  });

  test('copies files that exist in the repository and that .dockerignore does not leave out', () => {
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) {
      expect({ source, exists: fs.existsSync(path.join(root, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: dockerIgnore.ignores(source) }).toEqual({ source, ignored: false });
    }
  });

  test('copies every repository file that `kfp-ts`, the steps compiled to run in this image and its start command load', () => {
    expect(closure.files).toEqual(expect.arrayContaining(['cli/bin/kfp-ts.js', ...modules]));
    const missing = closure.files.filter((f) => !isCopied(f, copied));
    expect(missing).toEqual([]);
  });

  test('hashes every file it copies into its tag (none is left out of the build context)', () => {
    const hashed = new Set(contextFiles(root));
    expect(closure.files.filter((file) => !hashed.has(file))).toEqual([]);
  });

  test('installs production dependencies from the lockfile with the workspace package, which include every package those load', () => {
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    // `npm ci` installs the workspace package's dependencies only with its manifest in place.
    const install = dockerfile.stages.find((stage) =>
      stage.instructions.some((i) => i.keyword === 'RUN' && /\bnpm ci\b[^&]*--omit=dev/.test(i.text)),
    );
    expect(install).toBeDefined();
    const npmCi = install!.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.text));
    const manifests = install!.instructions
      .slice(0, npmCi)
      .filter((i) => i.keyword === 'COPY')
      .map((i) => i.text);
    expect(manifests).toEqual(
      expect.arrayContaining(['package.json package-lock.json ./', `${WORKSPACE_PACKAGE}/package.json ./${WORKSPACE_PACKAGE}/`]),
    );
    const missing = closure.packages.filter((name) => !installedForProduction(name));
    expect(missing).toEqual([]);
    // The final stage takes /app/node_modules only: the lockfile must install nothing inside the workspace package.
    expect(Object.keys(lockfile.packages).filter((key) => key.startsWith(`${WORKSPACE_PACKAGE}/node_modules/`))).toEqual([]);
    const fromDependencies = dockerfile.finalStage.instructions.filter(
      (i) => i.keyword === 'COPY' && i.text.startsWith(`--from=${install!.name} `),
    );
    expect(fromDependencies.map((i) => i.text)).toEqual([`--from=${install!.name} /app/node_modules ./node_modules`]);
  });

  if (modules.length > 0) {
    test("puts `kfp-ts` on PATH, a link to the executable CLI, for the steps' compiled command `kfp-ts exec-component <module> <name>`", () => {
      const links = dockerfile.finalStage.instructions.filter((i) => i.keyword === 'RUN' && i.text.includes('ln -s'));
      expect(links.map((i) => i.text)).toContain('ln -s /app/cli/bin/kfp-ts.js /usr/local/bin/kfp-ts');
      expect(isCopied('cli/bin/kfp-ts.js', copied)).toBe(true);
      const bin = path.join(root, 'cli/bin/kfp-ts.js');
      expect(fs.readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
      expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
      // node images have /usr/local/bin on PATH; an ENV PATH must keep it.
      const paths = dockerfile.finalStage.instructions
        .filter((i) => i.keyword === 'ENV')
        .map(envPairs)
        .flatMap((pairs) => (pairs['PATH'] === undefined ? [] : [pairs['PATH']]));
      for (const value of paths) expect(value.split(':')).toContain('/usr/local/bin');
    });
  }

  test('starts a command whose files exist and are copied into the image', () => {
    expect(start).toBeDefined();
    const command = startCommand;
    const script = repositoryPath(nodeScript(command) ?? command[0]!);
    expect(fs.existsSync(path.join(root, script))).toBe(true);
    expect(isCopied(script, copied)).toBe(true);
    if (command[0] !== 'node') {
      // A start script: executable, and what it runs exists too.
      expect(fs.statSync(path.join(root, script)).mode & 0o111).not.toBe(0);
      const execLine = fs
        .readFileSync(path.join(root, script), 'utf8')
        .split('\n')
        .find((line) => /^exec node /.test(line));
      const inner = execLine?.split(/\s+/).slice(1);
      expect(inner && nodeScript(inner)).toBeDefined();
      expect(fs.existsSync(path.join(root, nodeScript(inner!)!))).toBe(true);
    }
  });
});

describe('.dockerignore', () => {
  test("follows Docker's rules as the checks above rely on them", () => {
    const ignore = new DockerIgnore('node_modules\n*.log\ntest\n!test/keep\n');
    expect(ignore.ignores('node_modules/a/b.js')).toBe(true);
    expect(ignore.ignores('run.log')).toBe(true);
    expect(ignore.ignores('cli/run.log')).toBe(false);
    expect(ignore.ignores('test/keep')).toBe(false);
    expect(ignore.ignores('test/other.ts')).toBe(true);
    expect(ignore.ignores('cli/main.ts')).toBe(false);
  });

  test("keeps node_modules (the workspace package's too) and the git history out of the build context", () => {
    expect(dockerIgnore.ignores('node_modules/esbuild/package.json')).toBe(true);
    expect(dockerIgnore.ignores(`${WORKSPACE_PACKAGE}/node_modules/sharp/package.json`)).toBe(true);
    expect(dockerIgnore.ignores('.git/HEAD')).toBe(true);
  });

  test("keeps build outputs (dist/, and .kfp-ts/ where cloudbuild.yaml writes) out of the context and so out of the images' tags", () => {
    for (const file of ['dist/compiler/index.js', '.kfp-ts/image-tags.txt', '.kfp-ts/image-classifier.json']) {
      expect({ file, ignored: dockerIgnore.ignores(file) }).toEqual({ file, ignored: true });
    }
    const hashed = contextFiles(root);
    expect(hashed.filter((file) => /^(dist|\.kfp-ts|test|bench)\//.test(file) || file.includes('node_modules/'))).toEqual([]);
    expect(hashed).toEqual(expect.arrayContaining(['kfp-ts.config.ts', 'package-lock.json', `${WORKSPACE_PACKAGE}/package.json`]));
  });
});

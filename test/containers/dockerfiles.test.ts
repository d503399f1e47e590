/**
 * Static checks of containers/*\/Dockerfile (Docker cannot run here): each parses, pulls only
 * pinned images, copies files that exist and that .dockerignore lets through, copies everything
 * `kfp-ts` loads, installs the production dependencies (which must include every package it
 * loads), and starts a command that exists in the image.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGES, type ImageRole } from '../../containers/images';
import { Dockerfile, execForm, type Instruction } from './dockerfile';
import { DockerIgnore } from './dockerignore';
import { sourceClosure } from './source-closure';

const root = path.resolve(__dirname, '../..');
const lockfile = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
};
const dockerIgnore = DockerIgnore.read(path.join(root, '.dockerignore'));
const closure = sourceClosure(root, ['cli/bin/kfp-ts.js']);
const roles = Object.keys(IMAGES) as ImageRole[];

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

describe.each(roles)('the %s Dockerfile', (role) => {
  const file = path.join(root, IMAGES[role].dockerfile);
  const dockerfile = new Dockerfile(file);
  const copied = copiedPaths(dockerfile);

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
      if (!pinned) throw new Error(`${IMAGES[role].dockerfile}: '${image}' is not pinned: give a version tag (e.g. node:20.20.2-bookworm) or a digest`);
    }
  });

  test('copies files that exist in the repository and that .dockerignore does not leave out', () => {
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) {
      expect({ source, exists: fs.existsSync(path.join(root, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: dockerIgnore.ignores(source) }).toEqual({ source, ignored: false });
    }
  });

  test('copies every repository file `kfp-ts` loads (the CLI imports every command)', () => {
    const missing = closure.files.filter((f) => !isCopied(f, copied));
    expect(missing).toEqual([]);
  });

  test('installs production dependencies from the lockfile, which include every package `kfp-ts` loads', () => {
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    const runs = dockerfile.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.text);
    expect(runs.some((run) => /\bnpm ci\b[^&]*--omit=dev/.test(run))).toBe(true);
    const missing = closure.packages.filter((name) => !installedForProduction(name));
    expect(missing).toEqual([]);
  });

  test('starts a command whose files exist and are copied into the image', () => {
    const start: Instruction | undefined = [...dockerfile.finalStage.instructions].reverse().find((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
    expect(start).toBeDefined();
    const command = execForm(start!);
    const script = repositoryPath(nodeScript(command) ?? command[0]!);
    expect(fs.existsSync(path.join(root, script))).toBe(true);
    expect(isCopied(script, copied)).toBe(true);
    if (command[0] !== 'node') {
      // A start script: executable, and what it runs exists too.
      expect(fs.statSync(path.join(root, script)).mode & 0o111).not.toBe(0);
      const execLine = fs.readFileSync(path.join(root, script), 'utf8').split('\n').find((line) => /^exec node /.test(line));
      const inner = execLine?.split(/\s+/).slice(1);
      expect(inner && nodeScript(inner)).toBeDefined();
      expect(fs.existsSync(path.join(root, nodeScript(inner!)!))).toBe(true);
    }
  });
});

describe('.dockerignore', () => {
  test('follows Docker\'s rules as the checks above rely on them', () => {
    const ignore = new DockerIgnore('node_modules\n*.log\ntest\n!test/keep\n');
    expect(ignore.ignores('node_modules/a/b.js')).toBe(true);
    expect(ignore.ignores('run.log')).toBe(true);
    expect(ignore.ignores('cli/run.log')).toBe(false);
    expect(ignore.ignores('test/keep')).toBe(false);
    expect(ignore.ignores('test/other.ts')).toBe(true);
    expect(ignore.ignores('cli/main.ts')).toBe(false);
  });

  test('keeps node_modules and the git history out of the build context', () => {
    expect(dockerIgnore.ignores('node_modules/esbuild/package.json')).toBe(true);
    expect(dockerIgnore.ignores('.git/HEAD')).toBe(true);
  });
});

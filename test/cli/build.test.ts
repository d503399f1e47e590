/**
 * `kfp-ts build` as a child process, with a fake `docker` first on its PATH that records each call
 * and answers `info` and `image inspect` as a test asks: the exact docker commands, skipping images
 * already built, pushing, and what happens without a Docker engine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { imageContentTag } from '../../project/image-hash';
import type { BuildConfig } from '../containers/cloudbuild-config';

const bin = path.resolve(__dirname, '../../cli/bin/kfp-ts.js');
const registry = 'europe-west4-docker.pkg.dev/my-project/ml';

const FAKE_DOCKER = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_DOCKER_LOG, JSON.stringify(args) + '\\n');
const exit = (name) => process.exit(Number(process.env[name] || 0));
if (args[0] === 'info') {
  if (process.env.FAKE_DOCKER_INFO_EXIT) process.stderr.write('Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\\n');
  exit('FAKE_DOCKER_INFO_EXIT');
}
if (args[0] === 'image' && args[1] === 'inspect') process.exit((process.env.FAKE_DOCKER_EXISTING || '').split(',').includes(args[2]) ? 0 : 1);
if (args[0] === 'build') { process.stdout.write('fake build of ' + args[4] + '\\n'); exit('FAKE_DOCKER_BUILD_EXIT'); }
if (args[0] === 'push') { process.stdout.write('fake push of ' + args[1] + '\\n'); exit('FAKE_DOCKER_PUSH_EXIT'); }
`;

/** A project with two images, and a folder outside it for the fake docker and its log. */
function setUp() {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-build-project-'));
  fs.writeFileSync(path.join(project, 'package.json'), '{"name":"p"}');
  fs.writeFileSync(path.join(project, 'Dockerfile'), 'FROM node:20-slim\nCOPY . .\n');
  fs.mkdirSync(path.join(project, 'tools'));
  fs.writeFileSync(path.join(project, 'tools', 'Dockerfile'), 'FROM alpine\n');
  fs.mkdirSync(path.join(project, 'pipelines'));
  const config = { registry, images: { steps: {}, tools: { dockerfile: 'tools/Dockerfile', context: 'tools' } } };
  fs.writeFileSync(path.join(project, 'kfp-ts.config.json'), JSON.stringify(config));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-build-docker-'));
  fs.mkdirSync(path.join(outside, 'bin'));
  fs.writeFileSync(path.join(outside, 'bin', 'docker'), FAKE_DOCKER, { mode: 0o755 });
  const refs = {
    steps: `${registry}/steps:${imageContentTag(project, path.join(project, 'Dockerfile'))}`,
    tools: `${registry}/tools:${imageContentTag(path.join(project, 'tools'), path.join(project, 'tools', 'Dockerfile'))}`,
  };
  const log = path.join(outside, 'docker-calls.jsonl');
  /** Runs `kfp-ts build …` from `cwd` (default: the project) with the fake docker first on PATH. */
  const build = (args: string[], env: Record<string, string> = {}, cwd = project) => {
    const result = spawnSync(process.execPath, [bin, 'build', ...args], {
      cwd,
      env: { PATH: `${path.join(outside, 'bin')}${path.delimiter}${path.dirname(process.execPath)}`, FAKE_DOCKER_LOG: log, ...env },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const calls = (): string[][] =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [];
  return { project, outside, refs, build, calls };
}

jest.setTimeout(60_000);

describe('kfp-ts build', () => {
  it('builds each image with docker build -f <dockerfile> -t <ref> <context>, streaming its output', () => {
    const { refs, build, calls } = setUp();
    const { code, stdout, stderr } = build([]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(calls()).toEqual([
      ['info'],
      ['image', 'inspect', refs.steps],
      ['build', '-f', 'Dockerfile', '-t', refs.steps, '.'],
      ['image', 'inspect', refs.tools],
      ['build', '-f', 'tools/Dockerfile', '-t', refs.tools, 'tools'],
    ]);
    expect(stdout).toContain(`$ docker build -f Dockerfile -t ${refs.steps} .\nfake build of ${refs.steps}\n`);
    expect(stdout).toContain('Images: 2 built, 0 already present\n');
  });

  it('with --push pushes each image after building it, and does not build one already built here', () => {
    const { refs, build, calls } = setUp();
    const { code, stdout } = build(['--push'], { FAKE_DOCKER_EXISTING: refs.steps });
    expect(code).toBe(0);
    expect(calls()).toEqual([
      ['info'],
      ['image', 'inspect', refs.steps],
      ['push', refs.steps],
      ['image', 'inspect', refs.tools],
      ['build', '-f', 'tools/Dockerfile', '-t', refs.tools, 'tools'],
      ['push', refs.tools],
    ]);
    expect(stdout).toContain(`steps: ${refs.steps} is already built here; not building it again\n`);
    expect(stdout).toContain('Images: 1 built, 1 already present, 2 pushed\n');
  });

  it('finds the configuration from a folder inside the project, and names paths outside the cwd absolutely', () => {
    const { project, refs, build, calls } = setUp();
    expect(build([], {}, path.join(project, 'pipelines')).code).toBe(0);
    expect(calls()[2]).toEqual(['build', '-f', path.join(project, 'Dockerfile'), '-t', refs.steps, project]);
  });

  it('stops at the first failed build, with exit code 1', () => {
    const { refs, build, calls } = setUp();
    const { code, stderr } = build(['--push'], { FAKE_DOCKER_BUILD_EXIT: '3' });
    expect(code).toBe(1);
    expect(stderr).toBe("kfp-ts build: building image 'steps' failed (docker exited with 3)\n");
    expect(calls()).toEqual([['info'], ['image', 'inspect', refs.steps], ['build', '-f', 'Dockerfile', '-t', refs.steps, '.']]);
  });

  it('without a working Docker engine says so, points to --cloudbuild and --dry-run, and builds nothing', () => {
    const { build, calls } = setUp();
    const { code, stdout, stderr } = build(['--push'], { FAKE_DOCKER_INFO_EXIT: '1' });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toContain('kfp-ts build: no working Docker engine here (docker info exited with 1: Cannot connect to the Docker daemon');
    expect(stderr).toContain('kfp-ts build --cloudbuild cloudbuild.images.yaml');
    expect(stderr).toContain('kfp-ts build --dry-run --push');
    expect(calls()).toEqual([['info']]);
  });

  it('without docker installed at all says so', () => {
    const { outside, build } = setUp();
    fs.rmSync(path.join(outside, 'bin', 'docker'));
    const { code, stderr } = build([]);
    expect(code).toBe(1);
    expect(stderr).toContain('no working Docker engine here (docker is not installed (no docker command on PATH))');
  });

  it('--dry-run prints the docker commands and runs none', () => {
    const { refs, build, calls } = setUp();
    const { code, stdout } = build(['--dry-run', '--push']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `docker build -f Dockerfile -t ${refs.steps} .`,
        `docker push ${refs.steps}`,
        `docker build -f tools/Dockerfile -t ${refs.tools} tools`,
        `docker push ${refs.tools}`,
        '',
      ].join('\n'),
    );
    expect(calls()).toEqual([]);
  });

  it('--print-tags prints name and reference of each image; --registry overrides the configuration', () => {
    const { refs, build, calls } = setUp();
    expect(build(['--print-tags']).stdout).toBe(`steps ${refs.steps}\ntools ${refs.tools}\n`);
    const other = build(['--print-tags', '--registry', 'us-docker.pkg.dev/other/repo']).stdout;
    expect(other).toBe(
      `steps ${refs.steps.replace(registry, 'us-docker.pkg.dev/other/repo')}\ntools ${refs.tools.replace(registry, 'us-docker.pkg.dev/other/repo')}\n`,
    );
    expect(calls()).toEqual([]);
  });

  it('--cloudbuild FILE writes the Cloud Build config with the exact tags and prints the gcloud command', () => {
    const { project, outside, refs, build, calls } = setUp();
    const file = path.join(outside, 'cloudbuild.images.yaml');
    const { code, stdout } = build(['--cloudbuild', file]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Submit it with: gcloud builds submit --config ${file} .\n`);
    const config = yaml.load(fs.readFileSync(file, 'utf8')) as BuildConfig;
    expect(config.steps.map((step) => step.args)).toEqual([
      ['build', '-f', 'Dockerfile', '-t', refs.steps, '.'],
      ['push', refs.steps],
      ['build', '-f', 'tools/Dockerfile', '-t', refs.tools, 'tools'],
      ['push', refs.tools],
    ]);
    expect(config.images).toEqual([refs.steps, refs.tools]);
    expect(calls()).toEqual([]);
    expect(fs.existsSync(path.join(project, 'cloudbuild.images.yaml'))).toBe(false);
  });

  it('refuses to leave a Cloud Build config inside a build context that would hash it', () => {
    const { project, build } = setUp();
    const { code, stderr } = build(['--cloudbuild', 'cloudbuild.images.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain("kfp-ts build: cloudbuild.images.yaml would be part of the build context of 'steps'");
    expect(fs.existsSync(path.join(project, 'cloudbuild.images.yaml'))).toBe(false);
    fs.writeFileSync(path.join(project, '.dockerignore'), 'cloudbuild*.yaml\n');
    expect(build(['--cloudbuild', 'cloudbuild.images.yaml']).code).toBe(0);
  });

  it('leaves an existing file of the build context untouched when it refuses to write there', () => {
    const { project, build } = setUp();
    fs.writeFileSync(path.join(project, 'notes.yaml'), 'mine: true\n');
    expect(build(['--cloudbuild', 'notes.yaml']).code).toBe(1);
    expect(fs.readFileSync(path.join(project, 'notes.yaml'), 'utf8')).toBe('mine: true\n');
    expect(build(['--cloudbuild', 'new-folder/c.yaml']).code).toBe(1);
    expect(fs.existsSync(path.join(project, 'new-folder'))).toBe(false);
  });

  it('writes a starting-point Dockerfile for an image that has none, then builds it; --print-tags writes nothing', () => {
    const { project, build, calls } = setUp();
    fs.rmSync(path.join(project, 'Dockerfile'));
    const printed = build(['--print-tags']);
    expect(printed.code).toBe(1);
    expect(printed.stderr).toContain('no Dockerfile at');
    expect(fs.existsSync(path.join(project, 'Dockerfile'))).toBe(false);
    const built = build([]);
    expect(built.code).toBe(0);
    expect(built.stderr).toContain(
      'Wrote Dockerfile: a starting point (node:20-slim, npm ci, the project in /app); review it and commit it',
    );
    expect(fs.readFileSync(path.join(project, 'Dockerfile'), 'utf8')).toMatch(
      /^# The image of this project's containerized steps[\s\S]*FROM node:20-slim\n/,
    );
    expect(
      calls()
        .filter((call) => call[0] === 'build')
        .map((call) => call[2]),
    ).toEqual(['Dockerfile', 'tools/Dockerfile']);
  });

  it('explains what is missing: a registry to push to, a configuration, compatible options', () => {
    const { project, outside, build } = setUp();
    fs.writeFileSync(path.join(project, 'kfp-ts.config.json'), JSON.stringify({ images: { steps: {} } }));
    expect(build(['--push']).stderr).toMatch(
      /^kfp-ts build: pushing needs a registry; set registry in kfp-ts.config.json or pass --registry/,
    );
    expect(build(['--cloudbuild', path.join(outside, 'x.yaml')]).code).toBe(1);
    fs.rmSync(path.join(project, 'kfp-ts.config.json'));
    expect(build([]).stderr).toMatch(/^kfp-ts build: no kfp-ts.config.ts between .* and its package.json/);
    const both = build(['--dry-run', '--print-tags']);
    expect({ code: both.code, stderr: both.stderr.split('\n')[0] }).toEqual({
      code: 2,
      stderr: 'kfp-ts build: --dry-run and --print-tags cannot be combined',
    });
  });
});

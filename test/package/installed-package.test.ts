/**
 * kfp-ts as a team gets it: `npm pack` this repository (prepack builds dist/), `kfp-ts init` a
 * project in a folder outside it that depends on the tarball, `npm install`, then in that project
 * the scaffolded tests, type-checking against the published .d.ts (every entry point, under node16
 * and node10 resolution), compiling from anywhere, local runs with the cache behaving as KFP's
 * does, and submitting to the Vertex emulator. Slow (a pack and an install), so it does the least
 * that proves each point, in one project, in order.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { PipelineServiceEmulator } from '../../vertex/emulator/pipeline-service-emulator';

const root = path.resolve(__dirname, '../..');

jest.setTimeout(15 * 60_000);

/** The environment of a user's shell: none of the npm or jest variables this test runs under. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|JEST_|NODE_OPTIONS$|INIT_CWD$)/i.test(name)));

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

function run(command: string, args: readonly string[], cwd: string): Ran {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', seconds: (Date.now() - started) / 1000 };
}

/** `result`, or an error that shows the command's output, so a failure explains itself. */
function succeeded(result: Ran, what: string): Ran {
  if (result.code !== 0)
    throw new Error(
      `${what} exited with ${result.code}\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-6000)}`,
    );
  return result;
}

/** A team's file that imports every entry point of the exports map and uses a symbol of each. */
const entryPointsProbe = `import { pipeline } from 'kfp-ts';
import { runPipeline } from 'kfp-ts/runner';
import { type PipelineJob, jobState } from 'kfp-ts/vertex';
import { gcpcLocalLaunchers } from 'kfp-ts/serving';
import { ModelUploadOp } from 'kfp-ts/gcpc';
import { defineConfig } from 'kfp-ts/config';
import { PipelineServiceEmulator, runStep } from 'kfp-ts/testing';

export const config = defineConfig({ pipelineRoot: 'gs://my-bucket/root' });
export const upload = pipeline({ name: 'upload' }, () => void ModelUploadOp({ display_name: 'm' }));
export const runLocally = (spec: Parameters<typeof runPipeline>[0]) => runPipeline(spec, { localLaunchers: gcpcLocalLaunchers });
export const stateOf = (job: PipelineJob): string => jobState(job);
export const emulate = () => PipelineServiceEmulator.start({ execute: true, localLaunchers: gcpcLocalLaunchers });
export const testStep = runStep;
`;

/** Each task's state from the summary table `kfp-ts run` ends with (`task  state  time`). */
function taskStates(stdout: string): Record<string, string> {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^\s+task\s+state\s+time$/.test(line));
  const states: Record<string, string> = {};
  for (const line of lines.slice(header + 1)) {
    const match = /^\s+(\S+)\s+(\S+)/.exec(line);
    if (!match) break;
    states[match[1]!] = match[2]!;
  }
  return states;
}

describe('the installed package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-installed-'));
  const project = path.join(work, 'words');
  const kfpTs = (args: readonly string[], cwd = project) => run('npx', ['kfp-ts', ...args], cwd);
  const localRun = (...args: string[]) =>
    taskStates(succeeded(kfpTs(['run', 'pipelines/pipeline.ts', ...args]), `kfp-ts run ${args.join(' ')}`).stdout);
  const stepsImage = () => succeeded(kfpTs(['build', '--print-tags']), 'kfp-ts build --print-tags').stdout.trim();

  let tarball: string | undefined;

  beforeAll(async () => {
    expect(path.relative(root, work).startsWith('..')).toBe(true);
    const pack = succeeded(run('npm', ['pack', '--pack-destination', work], root), 'npm pack');
    tarball = fs.readdirSync(work).find((file) => file.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    let initOutput = '';
    const initCode = await main(['init', project, '--kfp-ts-spec', `file:${path.join(work, tarball!)}`], {
      stdout: (t) => void (initOutput += t),
      stderr: (t) => void (initOutput += t),
      cwd: work,
    });
    expect({ initCode, initOutput }).toMatchObject({ initCode: 0 });
    const install = succeeded(run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], project), 'npm install');
    const kib = Number(run('du', ['-sk', 'node_modules'], project).stdout.split(/\s/)[0]);
    const tarballKib = Math.round(fs.statSync(path.join(work, tarball!)).size / 1024);
    console.log(
      `installed-package: npm pack ${pack.seconds.toFixed(0)} s (tarball ${tarballKib} KiB); ` +
        `npm install ${install.seconds.toFixed(0)} s; node_modules ${(kib / 1024).toFixed(0)} MiB on ${os.cpus().length} cores`,
    );
  });

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("installs none of the image classifier's heavy dependencies", () => {
    for (const heavy of ['@tensorflow', 'sharp', 'webgpu']) expect(fs.existsSync(path.join(project, 'node_modules', heavy))).toBe(false);
    expect(fs.existsSync(path.join(project, 'node_modules', 'kfp-ts', 'dist', 'components', 'image-classifier'))).toBe(false);
  });

  it('refuses deep imports: only the exports map is public', () => {
    const probe = "try { require('kfp-ts/dist/compiler/dsl/task'); console.log('loaded') } catch (error) { console.log(error.code) }";
    expect(run(process.execPath, ['-e', probe], project).stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    const publicEntry =
      "console.log(['kfp-ts', 'kfp-ts/config', 'kfp-ts/testing', 'kfp-ts/runner', 'kfp-ts/vertex', 'kfp-ts/gcpc', 'kfp-ts/serving', 'kfp-ts/register'].map((m) => typeof require(m)).join(' '))";
    expect(succeeded(run(process.execPath, ['-e', publicEntry], project), 'require of the entry points').stdout.trim()).toBe(
      Array(8).fill('object').join(' '),
    );
  });

  it("the installed CLI's init writes the same project as this checkout's", () => {
    const second = path.join(work, 'second');
    succeeded(
      kfpTs(['init', second, '--name', 'words', '--kfp-ts-spec', `file:${path.join(work, tarball!)}`]),
      'kfp-ts init from the package',
    );
    for (const file of ['components/word-count.ts', 'pipelines/pipeline.ts', 'cloudbuild.yaml', 'Dockerfile']) {
      expect(fs.readFileSync(path.join(second, file), 'utf8')).toBe(fs.readFileSync(path.join(project, file), 'utf8'));
    }
  });

  it('npm test passes: tsc, then the step and pipeline tests under node --test', () => {
    const tested = succeeded(run('npm', ['test'], project), 'npm test');
    expect(tested.stdout).toMatch(/# pass 4\n# fail 0\n/);
  });

  it('npx tsc --noEmit passes with skipLibCheck off, against the published .d.ts', () => {
    succeeded(run('npx', ['tsc', '--noEmit'], project), 'npx tsc --noEmit');
  });

  it("type-checks every entry point's types, with skipLibCheck off, under node16 and under node10 resolution", () => {
    // Under build/, which the project's tsconfig and .dockerignore leave out. node10 resolution
    // ignores the exports map: the subpaths resolve through typesVersions, and esModuleInterop off
    // catches a default import of a CommonJS package in our .d.ts.
    const folder = path.join(project, 'build', 'entry-points');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'entry-points.ts'), entryPointsProbe);
    const variants = {
      'tsconfig.json': {},
      'tsconfig.node10.json': { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: false },
    };
    for (const [file, compilerOptions] of Object.entries(variants)) {
      const config = { extends: '../../tsconfig.json', compilerOptions, include: ['entry-points.ts'] };
      fs.writeFileSync(path.join(folder, file), JSON.stringify(config));
      succeeded(run('npx', ['tsc', '--noEmit', '-p', path.join('build', 'entry-points', file)], project), `tsc with ${file}`);
    }
  });

  it('compiles to the same bytes from the project folder and from another folder', () => {
    // Written under build/, which .dockerignore leaves out: a file written into the image's
    // context would change the steps image's tag, and so the second compile's IR.
    succeeded(kfpTs(['compile', 'pipelines/pipeline.ts', '-o', 'build/a.json']), 'compile from the project');
    const elsewhere = path.join(work, 'elsewhere');
    fs.mkdirSync(elsewhere);
    // From outside the project npx would look for kfp-ts in the registry: run its installed binary.
    const installedBin = path.join(project, 'node_modules', '.bin', 'kfp-ts');
    const fromElsewhere = run(
      installedBin,
      ['compile', path.join(project, 'pipelines/pipeline.ts'), '-o', path.join(project, 'build/b.json')],
      elsewhere,
    );
    succeeded(fromElsewhere, 'compile from elsewhere');
    const a = fs.readFileSync(path.join(project, 'build/a.json'));
    expect(a.equals(fs.readFileSync(path.join(project, 'build/b.json')))).toBe(true);
    // The containerized step runs in the image `kfp-ts build` tags (what cloudbuild.yaml builds).
    const executors = JSON.parse(a.toString()).deploymentSpec.executors;
    expect(`steps ${executors['exec-word-report'].container.image}`).toBe(stepsImage());
    expect(executors['exec-count-words'].container.image).toBe('node:20-slim');
  });

  it('runs locally; runs again from the cache; misses exactly where KFP would', () => {
    expect(localRun()).toEqual({ 'count-words': 'succeeded', 'word-report': 'succeeded' });
    expect(localRun()).toEqual({ 'count-words': 'cached', 'word-report': 'cached' });

    // A new input for count-words that gives the very same output bytes: word-report still runs.
    // The cache key is KFP's (runner/executor/fingerprint.ts): input artifacts count by their ML
    // Metadata artifact id, not their contents, and a new execution makes new artifacts.
    const spaced = ' the quick brown fox jumps over the lazy dog and the cat ';
    expect(localRun('--param', `text=${spaced}`)).toEqual({ 'count-words': 'succeeded', 'word-report': 'succeeded' });

    // A change to the lightweight step's code changes its bundle, so its key: it runs again, and
    // word-report with it (new input artifacts; and components/ is in the steps image, whose tag
    // changed too).
    const imageBefore = stepsImage();
    const wordCount = path.join(project, 'components/word-count.ts');
    fs.writeFileSync(
      wordCount,
      fs.readFileSync(wordCount, 'utf8').replace(".filter((word) => word !== '')", '.filter((word) => word.length > 0)'),
    );
    expect(localRun()).toEqual({ 'count-words': 'succeeded', 'word-report': 'succeeded' });
    const imageAfterLightweightEdit = stepsImage();
    expect(imageAfterLightweightEdit).not.toBe(imageBefore);

    // A change inside the image's context only: a new tag, so a new key for word-report alone.
    // count-words is keyed by its own bundle, which did not change.
    fs.appendFileSync(path.join(project, 'components/word-report.ts'), '// reviewed\n');
    expect(stepsImage()).not.toBe(imageAfterLightweightEdit);
    expect(localRun()).toEqual({ 'count-words': 'cached', 'word-report': 'succeeded' });

    // A file .dockerignore leaves out changes nothing.
    fs.appendFileSync(path.join(project, 'README.md'), '\nMore notes.\n');
    expect(localRun()).toEqual({ 'count-words': 'cached', 'word-report': 'cached' });
  });

  it("serves those runs with kfp-ts ui from the package's prebuilt page (no bundling at run time)", async () => {
    const bin = path.join(project, 'node_modules/kfp-ts/dist/cli/bin/kfp-ts.js');
    const ui = spawn(process.execPath, [bin, 'ui', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const found = /kfp-ts ui: (http:\/\/\S+\/)/.exec(output);
          if (found) resolve(found[1]!);
        };
        ui.stdout.on('data', onData);
        ui.stderr.on('data', onData);
        ui.on('exit', (code) => reject(new Error(`kfp-ts ui exited (${code}):\n${output}`)));
      });
      const runs = (await (await fetch(`${url}api/runs`)).json()) as { runs: { pipeline: string; state: string }[] };
      expect(runs.runs.length).toBeGreaterThanOrEqual(4);
      expect(new Set(runs.runs.map((r) => r.state))).toEqual(new Set(['SUCCEEDED']));
      const served = await (await fetch(`${url}app.js`)).text();
      expect(served).toBe(fs.readFileSync(path.join(project, 'node_modules/kfp-ts/dist/viewer/web-bundle/app.js'), 'utf8'));
      ui.kill('SIGINT');
      expect(await new Promise((resolve) => ui.on('exit', resolve))).toBe(0);
    } finally {
      if (ui.exitCode === null) ui.kill('SIGKILL');
    }
  }, 60_000);

  it('submits to Vertex AI (the emulator) with the installed CLI', async () => {
    const emulator = await PipelineServiceEmulator.start({ execute: false });
    try {
      // spawnSync would block the emulator, which answers from this process: the child runs async.
      const submitArgs = [
        'kfp-ts',
        'submit',
        'pipelines/pipeline.ts',
        '--project',
        'my-project',
        '--region',
        'us-central1',
        '--pipeline-root',
        'gs://my-bucket/root',
        '--endpoint',
        emulator.endpoint,
      ];
      const submitted = await new Promise<Ran>((resolve) => {
        const started = Date.now();
        execFile('npx', submitArgs, { cwd: project, env }, (error, stdout, stderr) =>
          resolve({
            code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
            stdout,
            stderr,
            seconds: (Date.now() - started) / 1000,
          }),
        );
      });
      expect(succeeded(submitted, 'kfp-ts submit').stdout).toMatch(/^Submitted pipeline job words-\d{14} \(PENDING\)\n/);
      const [request] = emulator.requests('createPipelineJob');
      expect(request!['parent']).toBe('projects/my-project/locations/us-central1');
    } finally {
      await emulator.stop();
    }
  });
});

/**
 * `npm run bench:package`: what a team pays to adopt kfp-ts, measured in one run:
 *   1. install: `npm pack` of this repository, installed into a fresh project (time, size on disk,
 *      the largest packages), beside this checkout's own node_modules (every workspace, the image
 *      classifier's tfjs, webgpu and sharp included: what depending on the repository pulled before);
 *   2. start-up: `kfp-ts --help` of the installed package beside `node -e 0` (medians of 7 runs);
 *   3. the bundle of a one-line lightweight step compiled in that project.
 * Needs the npm registry (the install downloads kfp-ts's dependencies; a warm npm cache makes it
 * faster, better-sqlite3 builds from source where no prebuilt binary downloads).
 *   --runs=N          start-up runs per command (default 7)
 *   --keep            keep the temporary project and print its folder
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { numericOption } from './options';

const root = path.resolve(__dirname, '..');

function sizeOnDisk(folder: string): number {
  return Number(execFileSync('du', ['-sk', folder], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

function largestPackages(modules: string, count: number): [string, number][] {
  const entries: [string, number][] = [];
  for (const name of fs.readdirSync(modules)) {
    if (name.startsWith('.')) continue;
    const folder = path.join(modules, name);
    const packages = name.startsWith('@') ? fs.readdirSync(folder).map((inner) => `${name}/${inner}`) : [name];
    for (const pkg of packages) entries.push([pkg, sizeOnDisk(path.join(modules, pkg))]);
  }
  return entries.sort((a, b) => b[1] - a[1]).slice(0, count);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeCommand(argv: string[], cwd: string, runs: number): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(argv[0]!, argv.slice(1), { cwd, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function main(): void {
  const runs = numericOption('runs', 7);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-bench-package-'));
  console.log(`Packing ${root} …`);
  const tarball = path.join(
    work,
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!,
  );
  const project = path.join(work, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'bench-project', version: '1.0.0', private: true }, null, 2));
  console.log(`Installing ${path.basename(tarball)} into a fresh project …`);
  const installStarted = performance.now();
  execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'inherit' });
  const installSeconds = (performance.now() - installStarted) / 1000;
  const modules = path.join(project, 'node_modules');
  const installed = sizeOnDisk(modules);
  const checkout = sizeOnDisk(path.join(root, 'node_modules'));
  const heavy = ['@tensorflow', 'webgpu', 'sharp'].filter((name) => fs.existsSync(path.join(modules, name)));

  const bin = path.join(modules, 'kfp-ts', 'dist', 'cli', 'bin', 'kfp-ts.js');
  const nodeStart = timeCommand([process.execPath, '-e', '0'], project, runs);
  const helpStart = timeCommand([process.execPath, bin, '--help'], project, runs);

  fs.mkdirSync(path.join(project, 'pipelines'));
  fs.writeFileSync(
    path.join(project, 'pipelines', 'hello.ts'),
    [
      "import { functionComponent, pipeline, t } from 'kfp-ts';",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the `${…}` belongs to the generated file's own template literal
      "export const hello = functionComponent({ name: 'hello', inputs: { who: t.string() }, outputs: { text: t.string() }, implementation: ({ inputs }) => ({ text: `hello ${inputs.who}` }) });",
      "export default pipeline({ name: 'hello' }, () => { hello({ who: 'world' }); });",
      '',
    ].join('\n'),
  );
  const compiled = spawnSync(process.execPath, [bin, 'compile', 'pipelines/hello.ts', '-o', 'hello.json'], {
    cwd: project,
    encoding: 'utf8',
  });
  if (compiled.status !== 0) throw new Error(`compile failed: ${compiled.stderr}`);
  const bundleLine = compiled.stderr.split('\n').find((line) => line.includes('step hello')) ?? '(no step line)';

  console.log('\n| what | kfp-ts (installed package) | baseline | ratio |');
  console.log('|---|---|---|---|');
  console.log(
    `| size on disk | ${mb(installed)} (node_modules of a fresh project) | ${mb(checkout)} (this checkout's node_modules, all workspaces) | ${(installed / checkout).toFixed(2)}x |`,
  );
  console.log(`| install time | ${installSeconds.toFixed(1)} s (\`npm install kfp-ts-*.tgz\`) | – | – |`);
  console.log(
    `| start-up | ${helpStart.toFixed(0)} ms (\`kfp-ts --help\`, median of ${runs}) | ${nodeStart.toFixed(0)} ms (\`node -e 0\`) | ${(helpStart / nodeStart).toFixed(1)}x |`,
  );
  console.log(`\ntfjs / webgpu / sharp installed: ${heavy.length ? heavy.join(', ') : 'none'}`);
  console.log(`lightweight step:${bundleLine.replace(/^\s*step hello:/, '')}`);
  console.log('\nLargest packages of the install:');
  for (const [name, bytes] of largestPackages(modules, 6)) console.log(`  ${name.padEnd(28)} ${mb(bytes)}`);
  if (process.argv.includes('--keep')) console.log(`\nProject kept in ${project}`);
  else fs.rmSync(work, { recursive: true, force: true });
}

main();

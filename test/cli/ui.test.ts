/**
 * `kfp-ts ui` through the real executable: it prints its URL, serves the runs page over the store,
 * and SIGINT (Ctrl-C) or SIGTERM stops it with exit code 0, leaving no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunsPage } from '../../viewer/server/api-types';
import { writeSmallStore } from '../viewer/support/small-store';

const cli = path.resolve(__dirname, '../../cli/bin/kfp-ts.js');

function startUi(
  args: readonly string[],
  cwd: string,
): { child: ChildProcess; url: Promise<string>; exit: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [cli, 'ui', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /kfp-ts ui: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`kfp-ts ui exited (${code}) before printing its URL:\n${output}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url, exit, output: () => output };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('kfp-ts ui', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-ui-cli-'));
  const small = writeSmallStore(folder);
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'prints its URL, serves the runs, and stops on %s with exit code 0',
    async (signal) => {
      const ui = startUi(['--port', '0', '--metadata', small.metadataFile, '--pipeline-root', small.pipelineRoot], folder);
      try {
        const url = await ui.url;
        expect(ui.output()).toContain(`(reading ${small.metadataFile}; Ctrl-C stops it)`);
        const page = await fetch(url);
        expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('<script src="/app.js"></script>')]);
        const runs = (await (await fetch(`${url}api/runs`)).json()) as RunsPage;
        expect(runs.runs.map((run) => run.runId)).toEqual([small.runId]);
        ui.child.kill(signal);
        expect(await ui.exit).toBe(0);
        expect(alive(ui.child.pid!)).toBe(false);
        await expect(fetch(url)).rejects.toThrow();
      } finally {
        if (ui.child.exitCode === null) ui.child.kill('SIGKILL');
      }
    },
    60_000,
  );

  it('names a missing store, with no stack trace, and exits 1', async () => {
    const missing = path.join(folder, 'none.sqlite');
    const ui = startUi(['--metadata', missing], folder);
    ui.url.catch(() => undefined);
    expect(await ui.exit).toBe(1);
    expect(ui.output()).toContain(
      `ML Metadata store ${missing} does not exist: run a pipeline first (kfp-ts run …), or pass the store with --metadata FILE`,
    );
    expect(ui.output()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('refuses a bad --port', async () => {
    const ui = startUi(['--port', 'http'], folder);
    ui.url.catch(() => undefined);
    expect(await ui.exit).toBe(2);
    expect(ui.output()).toContain("--port must be a port number 0–65535, got 'http'");
  }, 60_000);
});

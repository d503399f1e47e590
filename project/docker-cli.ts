import { spawn } from 'node:child_process';

/** `docker info` answers in well under a second where an engine runs; a hung socket must not hang the build. */
const PROBE_TIMEOUT_MS = 15_000;

export type EngineProbe = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Where a command's output goes as it comes (the CLI passes its stdout and stderr). */
export interface OutputStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * The `docker` command line, as `kfp-ts build` uses it: found on PATH like any other command (so a
 * test can put its own `docker` first), run from `cwd`, with its output passed on as it arrives.
 */
export class DockerCli {
  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly probeTimeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  /** Whether a Docker engine answers (`docker info` exits 0), and if not, why, in one line. */
  async probe(): Promise<EngineProbe> {
    const result = await this.capture(['info'], this.probeTimeoutMs);
    if (result.error !== undefined) return { ok: false, reason: result.error };
    if (result.code === 0) return { ok: true };
    const firstLine = result.stderr
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim();
    return { ok: false, reason: `docker info exited with ${result.code}${firstLine ? `: ${firstLine}` : ''}` };
  }

  /** Whether the engine already holds an image of this exact reference. */
  async imageExists(ref: string): Promise<boolean> {
    const result = await this.capture(['image', 'inspect', ref], this.probeTimeoutMs);
    return result.code === 0;
  }

  /** Runs `docker <args>`, streaming its output; resolves with its exit code (127 when docker cannot start). */
  run(args: readonly string[], out: OutputStreams): Promise<number> {
    return new Promise((resolve) => {
      const child = spawn('docker', args, { cwd: this.cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      // Decoded by the streams, so a character split between two chunks arrives whole.
      child.stdout.setEncoding('utf8').on('data', (text: string) => out.stdout(text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => out.stderr(text));
      child.on('error', (error) => {
        out.stderr(`cannot run docker: ${error.message}\n`);
        resolve(127);
      });
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  }

  private capture(args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stderr: string; error?: string }> {
    return new Promise((resolve) => {
      const child = spawn('docker', args, { cwd: this.cwd, env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      // Our own timer rather than spawn's `timeout`, whose timer outlives a docker that never
      // started (ENOENT). On time-out the answer is given at once: a process docker started may
      // still hold the pipe open.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        child.stderr.destroy();
        resolve({ code: null, stderr, error: `docker ${args[0]} did not answer within ${timeoutMs / 1000} s` });
      }, timeoutMs);
      timer.unref();
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const reason =
          error.code === 'ENOENT' ? 'docker is not installed (no docker command on PATH)' : `cannot run docker: ${error.message}`;
        resolve({ code: null, stderr, error: reason });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
  }
}

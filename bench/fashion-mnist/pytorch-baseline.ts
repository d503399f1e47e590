/**
 * Runs bench/quality-pytorch.py with Debian's Python (/usr/bin/python3, where python3-torch
 * installs torch) and reads its one JSON line of results. Says why when it cannot run, so the
 * benchmark prints the kfp-ts column alone instead of failing.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SYSTEM_PYTHON = '/usr/bin/python3';
export const PYTORCH_SCRIPT = path.join(__dirname, '..', 'quality-pytorch.py');
const TORCH_HINT = 'install it with `sudo apt-get install python3-torch` (Debian/Ubuntu)';

export interface PytorchConfig {
  readonly idxDir: string;
  readonly train: readonly number[];
  readonly val: readonly number[];
  /** The kfp-ts model's model.json: the network is rebuilt from its Keras topology. */
  readonly modelJson: string;
  readonly inputChannels: number;
  readonly epochs: number;
  /** Epochs the learning-rate schedule spans (the epochs asked for; early stopping may run fewer). */
  readonly scheduleEpochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** AdamW with weightDecay 0 is Adam. */
  readonly optimizer: 'adam' | 'adamw';
  readonly weightDecay: number;
  readonly labelSmoothing: number;
  readonly warmupEpochs: number;
  readonly schedule: 'constant' | 'cosine';
  readonly augment: {
    readonly flip: boolean;
    readonly verticalFlip?: boolean;
    readonly maxShift: number;
    readonly brightness: number;
  } | null;
  readonly threads: number;
  readonly seed: number;
}

export interface PytorchResult {
  readonly top1: number;
  readonly top3: number;
  readonly ece: number;
  readonly eceUncalibrated: number;
  readonly temperature: number;
  readonly trainImagesPerSecond: number;
  readonly trainSeconds: number;
  readonly trainImages: number;
  readonly testImages: number;
  readonly parameters: number;
  readonly epochs: number;
  readonly threads: number;
  readonly torch: string;
}

/** Why the baseline cannot run here, or undefined when /usr/bin/python3 imports torch. */
export function pytorchUnavailable(python = SYSTEM_PYTHON): string | undefined {
  if (!fs.existsSync(python)) return `${python} is missing; ${TORCH_HINT}`;
  const probe = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status !== 0)
    return `${python} cannot import torch and numpy (${(probe.stderr || probe.error?.message || 'no output').trim().split('\n').pop()}); ${TORCH_HINT}`;
  return undefined;
}

/** Runs the script; its progress lines go to `log`. Rejects with the script's last error lines. */
export async function runPytorchBaseline(
  config: PytorchConfig,
  workDir: string,
  log: (line: string) => void,
  timeoutMs: number,
  python = SYSTEM_PYTHON,
): Promise<PytorchResult> {
  const configFile = path.join(workDir, 'pytorch-config.json');
  fs.writeFileSync(configFile, `${JSON.stringify(config)}\n`);
  const child = spawn(python, [PYTORCH_SCRIPT, configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OMP_NUM_THREADS: String(config.threads) },
  });
  let stdout = '';
  let stderrTail = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-65_536)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4096);
    for (const line of chunk.split('\n')) if (line.startsWith('[pytorch]')) log(line);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (code !== 0)
    throw new Error(
      `${path.basename(PYTORCH_SCRIPT)} exited with ${code ?? 'a signal (timed out?)'}: ${stderrTail.trim().split('\n').slice(-5).join('\n')}`,
    );
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as PytorchResult;
  } catch {
    throw new Error(`${path.basename(PYTORCH_SCRIPT)} printed no JSON result; its output ended with: ${last.slice(-300)}`);
  }
}

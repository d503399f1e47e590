import * as path from 'node:path';
import { main } from '../../cli/main';
import { gcpcLocalLaunchers } from '../../serving/gcpc-launchers';
import { type EmulatorOptions, PipelineServiceEmulator } from '../../vertex/emulator/pipeline-service-emulator';
import { closePipelineServiceClients } from '../../vertex/pipeline-service-client';

export { typedSpec } from './typed-spec';

export const projectRoot = path.resolve(__dirname, '../..');
export const typedPipelineFile = path.join(__dirname, 'fixtures/typed-pipeline.ts');

/** Retries that do not slow tests down. */
export const fastRetry = { attempts: 3, initialDelayMs: 5, maxDelayMs: 20, multiplier: 2 };

/**
 * One emulator for a test file on an ephemeral loopback port, stopped (with the clients) after it.
 * It runs GCPC's launchers with the local stand-ins, as `kfp-ts emulator` does.
 */
export function emulatorForTests(options: EmulatorOptions = {}): { readonly current: PipelineServiceEmulator } {
  // The first client of a process loads @google-cloud/aiplatform and hashes its protos: seconds on a small machine.
  jest.setTimeout(60_000);
  const holder: { current: PipelineServiceEmulator } = { current: undefined as unknown as PipelineServiceEmulator };
  beforeAll(async () => {
    holder.current = await PipelineServiceEmulator.start({ workingDirectory: projectRoot, localLaunchers: gcpcLocalLaunchers, ...options });
  });
  afterAll(async () => {
    await closePipelineServiceClients();
    await holder.current?.stop();
  });
  return holder;
}

/** Runs `kfp-ts …` in-process from the project root. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: projectRoot, isTTY: false });
  return { code, stdout, stderr };
}

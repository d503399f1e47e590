/**
 * `npm run demo`: the image-classifier pipeline end to end on this machine. A script of this
 * repository, not a kfp-ts command: the published package holds no image classifier.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDemoImageSet } from '../components/image-classifier/demo-data/make-demo-image-set';
import { compilePipeline } from '../compiler/synth/compile-pipeline';
import { defaultLocalFolder, runPipeline } from '../runner/run-pipeline';
import { TerminalReporter } from '../cli/terminal-reporter';
import { endpointSummary } from '../serving/endpoint-summary';
import { gcpcLocalLaunchers } from '../serving/gcpc-launchers';
import type { CommandIo } from '../cli/sub-command';
import { parseArgs, positiveIntegerOption } from '../cli/parse-args';
import { putKfpTsOnPath } from '../cli/kfp-ts-on-path';
import { projectOptionsFor } from '../cli/project-options';
import imageClassifier from './image-classifier';

const usage = `Usage: npm run demo -- [--images-per-class N] [--epochs N] [--no-cache]

Makes a small labelled image set (rendered shapes with noise, a few near-duplicates and corrupt
files), then compiles and runs pipelines/image-classifier.ts on this machine, and prints the
metrics and where the run, the model, the lineage store and the endpoint the gate deployed the
model to are. Run it again: every step is served from the cache.
`;

export async function runDemo(argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help')) {
    io.stdout(usage);
    return 0;
  }
  const args = parseArgs(argv, { values: { perClass: ['--images-per-class'], epochs: ['--epochs'] }, flags: { noCache: ['--no-cache'] } });
  const folder = path.resolve(io.cwd, defaultLocalFolder);
  const dataDir = path.join(folder, 'demo-data');
  const perClass = positiveIntegerOption(args.values['perClass'], '--images-per-class') ?? 100;
  const epochs = positiveIntegerOption(args.values['epochs'], '--epochs');
  const manifest = path.join(dataDir, 'manifest.csv');
  if (!fs.existsSync(manifest)) {
    io.stdout(`Making a demo image set in ${dataDir}\n`);
    await makeDemoImageSet({ dir: dataDir, classes: ['stripes', 'checker', 'ring'], perClass, size: 32, seed: 7 });
  }
  // The steps run as `kfp-ts exec-component …` from this repository, as in their images.
  putKfpTsOnPath(path.join(__dirname, '..', 'cli', 'bin', 'kfp-ts.js'));
  const project = projectOptionsFor(__filename, {}, io.cwd);
  const result = await runPipeline(compilePipeline(imageClassifier, project.compile), {
    parameters: { manifest, ...(epochs !== undefined ? { epochs } : {}) },
    ...(args.flags['noCache'] ? { enableCaching: false } : {}),
    pipelineRoot: path.join(folder, 'outputs'),
    metadataFile: path.join(folder, 'metadata.sqlite'),
    workingDirectory: project.projectFolder,
    imageWorkingDirectories: project.imageWorkingDirectories,
    localLaunchers: gcpcLocalLaunchers,
    reporter: new TerminalReporter({ write: io.stdout, isTTY: io.isTTY === true }),
  });
  const metrics = result.artifacts['metrics']?.[0]?.artifact.metadata ?? {};
  const rows = Object.entries(metrics).filter(([, v]) => typeof v === 'number') as [string, number][];
  if (rows.length) {
    const width = Math.max(...rows.map(([k]) => k.length));
    io.stdout(`\nMetrics (test split):\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v.toFixed(4)}`).join('\n')}\n`);
  }
  io.stdout(
    `\nRun:      ${result.runRoot}\n` +
      `Model:    ${result.artifacts['model']?.[0]?.artifact.uri ?? '(none)'}\n` +
      `Lineage:  ${result.metadataFile}  (try: npx kfp-ts run-info ${result.runId})\n` +
      (await endpointSummary(folder, 'image-classifier', '{"instances": [{"b64": "<base64 PNG or JPEG>"}]}')),
  );
  return result.state === 'SUCCEEDED' ? 0 : 1;
}

if (require.main === module) {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
  };
  runDemo(process.argv.slice(2), io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDemoImageSet } from '../../components/image-classifier/demo-data/make-demo-image-set';
import { compilePipeline } from '../../compiler/synth/compile-pipeline';
import { defaultLocalFolder, runPipeline } from '../../runner/run-pipeline';
import { TerminalReporter } from '../../runner/terminal-reporter';
import { endpointSummary } from '../../serving/endpoint-summary';
import type { Command } from '../command';
import { parseArgs, positiveIntegerOption } from '../parse-args';

const usage = `Usage: kfp-ts demo [--images-per-class N] [--epochs N] [--no-cache]

Makes a small labelled image set (rendered shapes with noise, a few near-duplicates and corrupt
files), then compiles and runs pipelines/image-classifier.ts on this machine, and prints the
metrics and where the run, the model, the lineage store and the endpoint the gate deployed the
model to are. Run it again: every step is served from the cache.
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the image-classifier demo pipeline locally on a generated image set',
  usage,
  async run(argv, io) {
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
    const { default: imageClassifier } = require('../../pipelines/image-classifier') as typeof import('../../pipelines/image-classifier');
    const result = await runPipeline(compilePipeline(imageClassifier), {
      parameters: { manifest, ...(epochs !== undefined ? { epochs } : {}) },
      ...(args.flags['noCache'] ? { enableCaching: false } : {}),
      pipelineRoot: path.join(folder, 'outputs'),
      metadataFile: path.join(folder, 'metadata.sqlite'),
      workingDirectory: io.cwd,
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
        (await endpointSummary(folder, 'image-classifier')),
    );
    return result.state === 'SUCCEEDED' ? 0 : 1;
  },
};

/**
 * The `approve-model` function component: the end of the image-classifier gate. It runs only when
 * the pipeline's conditions on top-1 and ECE hold, and records the decision beside the model
 * (model upload and endpoint deploy join the gate in a later issue).
 */
import * as fs from 'node:fs';
import { Markdown, Model, functionComponent, t } from '../../../compiler';

export const approveModel = functionComponent({
  name: 'approve-model',
  description: 'Records that a model passed the quality gate.',
  inputs: { model: Model, top1: t.float(), ece: t.float(), minTop1: t.float(), maxEce: t.float() },
  outputs: { decision: Markdown, modelUri: t.string() },
  implementation: async ({ inputs, outputs }) => {
    const lines = [
      '# Model approved',
      '',
      `Model: ${inputs.model.uri}`,
      '',
      '| metric | value | gate |',
      '|---|---|---|',
      `| top-1 | ${inputs.top1.toFixed(4)} | ≥ ${inputs.minTop1} |`,
      `| ECE | ${inputs.ece.toFixed(4)} | ≤ ${inputs.maxEce} |`,
      '',
    ];
    fs.writeFileSync(outputs.decision.path, lines.join('\n'));
    outputs.decision.metadata['approved'] = true;
    return { modelUri: inputs.model.uri };
  },
});

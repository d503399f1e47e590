/**
 * The `package-classifier` function component: joins the trained Model and the evaluate step's
 * modelCard into one serving bundle (bundle-layout.ts) and returns its URI, which the pipeline
 * imports as an UnmanagedContainerModel for ModelUploadOp.
 */
import { Artifact, Model, functionComponent, t } from '../../../compiler';
import { STEPS_IMAGE } from '../images';
import { writeServingBundle } from './bundle-layout';

export const packageClassifier = functionComponent({
  name: 'package-classifier',
  targetImage: STEPS_IMAGE,
  description: 'Joins a trained image classifier and its model card (tau, margin, temperature) into one folder a prediction server loads.',
  inputs: { model: Model, modelCard: Artifact },
  outputs: { bundle: Model, bundleUri: t.string() },
  implementation: async ({ inputs, outputs }) => {
    const manifest = writeServingBundle(outputs.bundle.path, inputs.model.path, inputs.modelCard.path);
    Object.assign(outputs.bundle.metadata, { format: manifest.format, labels: [...manifest.labels], labelsSha256: manifest.labelsSha256 });
    return { bundleUri: outputs.bundle.uri };
  },
});

/**
 * The image-classification pipeline: images + manifest.csv → dedupe / split → TFRecords → training
 * (on a GPU on Vertex) → evaluation with calibration → a gate on top-1 and ECE → a model that
 * passes is uploaded to the Model Registry and deployed to a new endpoint with GCPC's components
 * (locally: the local registry and prediction server).
 */
import { If, pipeline, t } from '../compiler';
import { TRAIN_GPU_ACCELERATOR } from '../containers/train-gpu/accelerator';
import { evaluate } from '../components/image-classifier/evaluate/component';
import { exportQuantized } from '../components/image-classifier/export/component';
import { approveModel } from '../components/image-classifier/gate/component';
import { EndpointCreateOp, ModelDeployOp, ModelUploadOp, importUnmanagedContainerModel } from '../components/gcpc';
import { packageClassifier } from '../components/image-classifier/serving-bundle/component';
import { preprocess } from '../components/image-classifier/preprocess/component';
import { train } from '../components/image-classifier/train/component';

export default pipeline(
  {
    name: 'image-classifier',
    description:
      'Trains and calibrates an image classifier from a folder of labelled images, gates it on top-1 and ECE, and deploys a model that passes to an endpoint.',
    params: {
      manifest: t.string({ description: 'Path or gs:// URI of manifest.csv (image, label, optional split).' }),
      imageSize: t.int({ default: 32 }),
      epochs: t.int({ default: 15 }),
      targetPrecision: t.float({ default: 0.9 }),
      minTop1: t.float({ default: 0.7 }),
      maxEce: t.float({ default: 0.15 }),
      maxBadFraction: t.float({ default: 0.1 }),
      seed: t.int({ default: 42 }),
      architecture: t.string({
        default: 'two-conv',
        description: "The train step's network: 'two-conv' (small images), 'small-cnn', 'resnet-small' or 'mobilenet-v2-small'.",
      }),
      flip: t.string({
        default: 'horizontal',
        description: "Training flips: 'horizontal', 'none' (digits, text), 'vertical' or 'both' (aerial, microscope images).",
      }),
      classWeights: t.string({
        default: 'none',
        description: "'balanced' for imbalanced classes: each class weighs the same in the loss.",
      }),
      appQuantization: t.string({
        default: 'float16',
        description:
          "Weights of the small model exported for apps: 'float16' (half the bytes, near-lossless) or 'uint8' (a quarter; checked against the float model on the test split).",
      }),
      servingImage: t.string({
        default: 'kfp-ts-serving:local',
        description: 'The serving container image of the uploaded model (containers/serving); Cloud Build passes the one it built.',
      }),
    },
  },
  ({
    manifest,
    imageSize,
    epochs,
    targetPrecision,
    minTop1,
    maxEce,
    maxBadFraction,
    seed,
    architecture,
    flip,
    classWeights,
    appQuantization,
    servingImage,
  }) => {
    const data = preprocess({ manifest, imageSize, maxBadFraction, seed });
    const model = train({ train: data.outputs.train, val: data.outputs.val, epochs, imageSize, seed, architecture, flip, classWeights })
      .setDisplayName('train (GPU on Vertex)')
      .setAccelerator(TRAIN_GPU_ACCELERATOR, 1)
      .setCpuLimit('8')
      .setMemoryLimit('32G');
    const scores = evaluate({ model: model.outputs.model, val: data.outputs.val, test: data.outputs.test, targetPrecision });
    If(scores.outputs.top1.ge(minTop1), () => {
      If(scores.outputs.ece.le(maxEce), () => {
        approveModel({ model: model.outputs.model, top1: scores.outputs.top1, ece: scores.outputs.ece, minTop1, maxEce });
        // The approved model with quantized weights, for apps that download it (tfjs loads it as is),
        // scored beside the float model on the test split.
        exportQuantized({
          model: model.outputs.model,
          modelCard: scores.outputs.modelCard,
          test: data.outputs.test,
          quantization: appQuantization,
        });
        // One folder with the network and its calibration (temperature, tau, margin), served by the
        // classifier's prediction server (the serving image, containers/serving) on Vertex's
        // custom-container routes.
        const bundle = packageClassifier({ model: model.outputs.model, modelCard: scores.outputs.modelCard });
        const servable = importUnmanagedContainerModel({
          artifactUri: bundle.outputs.bundleUri,
          // The command is the image's bin on its PATH, not a path of this machine, so the compiled IR
          // runs the same on Vertex and locally, where ModelDeployOp's stand-in finds the same bin
          // in node_modules/.bin (the @kfp-ts/image-classifier workspace package links it there).
          containerSpec: {
            imageUri: servingImage,
            command: ['kfp-ts-classifier-server'],
            ports: [{ containerPort: 8080 }],
            predictRoute: '/predict',
            healthRoute: '/health',
          },
        });
        const upload = ModelUploadOp({ display_name: 'image-classifier', unmanaged_container_model: servable.outputs.artifact });
        const endpoint = EndpointCreateOp({ display_name: 'image-classifier' });
        ModelDeployOp({
          model: upload.outputs.model,
          endpoint: endpoint.outputs.endpoint,
          traffic_split: { '0': 100 },
          dedicated_resources_machine_type: 'n1-standard-2',
          dedicated_resources_min_replica_count: 1,
          dedicated_resources_max_replica_count: 1,
        });
      });
    });
    return {
      model: model.outputs.model,
      metrics: scores.outputs.metrics,
      classification: scores.outputs.classification,
      top1: scores.outputs.top1,
      ece: scores.outputs.ece,
    };
  },
);

/**
 * The train component's library: reading Dataset folders, the input pipeline, the CNN, the
 * training loop, backend choice, and the Model folder (save, and load for the evaluate step).
 * The component itself is in ./component.
 */
export * from './augment';
export * from './backend-choice';
export * from './cnn';
export * from './decode-image';
export * from './image-batches';
export * from './image-dataset';
export * from './model-io';
export * from './predict';
export * from './prefetch';
export * from './seeded-dropout';
export * from './trained-model';
export * from './training-curves';
export * from './training-loop';

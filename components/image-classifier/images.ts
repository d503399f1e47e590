/**
 * The images the classifier's steps run in, built from this repository (see kfp-ts.config.ts at
 * its root, which gives each its Dockerfile): its steps load sharp and tfjs, native packages a
 * lightweight step's bundle cannot carry.
 */
import { projectImage } from '../../compiler';

/** CPU steps: preprocess, evaluate, packaging (containers/components/Dockerfile). */
export const STEPS_IMAGE = projectImage('components');
/** Training: tfjs-node-gpu on CUDA, with Dawn/Vulkan as the fallback (containers/train-gpu/Dockerfile). */
export const TRAIN_GPU_IMAGE = projectImage('train-gpu');

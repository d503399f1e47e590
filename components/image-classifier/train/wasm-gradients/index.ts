// Convolution gradients for tfjs 4.22's wasm backend, so convnets train on CPU in Node.
export { WASM_GRADIENT_KERNELS, registerWasmGradientKernels } from './register';
export { type TrainingBackendName, setTrainingBackend } from './training-backend';

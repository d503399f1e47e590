/**
 * This repository's kfp-ts configuration: the images the image classifier's containerized steps
 * run in, each built from the repository root by its Dockerfile and tagged with a hash of what
 * goes into it. Cloud Build passes the registry (`kfp-ts compile --registry …`).
 */
import { defineConfig } from './project/config';

export default defineConfig({
  images: {
    components: { dockerfile: 'containers/components/Dockerfile', repository: 'kfp-ts-components' },
    'train-gpu': { dockerfile: 'containers/train-gpu/Dockerfile', repository: 'kfp-ts-train-gpu' },
    serving: { dockerfile: 'containers/serving/Dockerfile', repository: 'kfp-ts-serving' },
  },
});

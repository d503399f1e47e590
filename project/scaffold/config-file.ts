/** The project's kfp-ts.config.ts: one image, the settings a team fills in later left as comments. */
export function configFileText(): string {
  return `import { defineConfig } from 'kfp-ts/config';

/**
 * This project's kfp-ts settings, read by \`kfp-ts compile\`, \`run\`, \`build\` and \`submit\`: what
 * compiling takes from outside the pipeline code.
 */
export default defineConfig({
  // Where \`kfp-ts build --push\` pushes the images, and so where Vertex AI pulls them from
  // (\`--registry\` overrides it):
  // registry: 'us-central1-docker.pkg.dev/MY_PROJECT/pipelines',

  // Where runs write their artifacts unless a job names another root:
  // pipelineRoot: 'gs://MY_BUCKET/pipeline-root',

  images: {
    // The image of containerized steps (\`targetImage: projectImage('steps')\`): this folder, built
    // by ./Dockerfile and tagged with a hash of what it holds (see .dockerignore).
    steps: { dockerfile: 'Dockerfile', context: '.' },
  },

  // Defaults for \`kfp-ts submit\` (its flags win):
  // vertex: {
  //   project: 'MY_PROJECT',
  //   region: 'us-central1',
  //   serviceAccount: 'pipelines@MY_PROJECT.iam.gserviceaccount.com',
  //   labels: { team: 'my-team' },
  // },
});
`;
}

/** The README of a new project: its layout and the commands a team uses every day. */
export function readmeText(name: string): string {
  return `# ${name}

Kubeflow / Vertex AI pipelines written in TypeScript with [kfp-ts](https://www.npmjs.com/package/kfp-ts).

## Layout

| path | what it is |
| --- | --- |
| \`components/word-count.ts\` | a **lightweight** step: bundled with its imports when the pipeline compiles, runs on a stock \`node:20-slim\` image; no image to build |
| \`components/word-report.ts\` | a **containerized** step (\`targetImage: projectImage('steps')\`): runs in this project's \`steps\` image, so it may use anything installed there |
| \`pipelines/pipeline.ts\` | the pipeline (\`export default pipeline(…)\`) wiring the two steps |
| \`test/\` | unit tests of the steps (\`runStep\` from \`kfp-ts/testing\`) and of the compiled pipeline, run by Node's test runner |
| \`kfp-ts.config.ts\` | the project's settings: images, registry, pipeline root, Vertex AI defaults |
| \`Dockerfile\`, \`.dockerignore\` | the \`steps\` image: this folder with its production dependencies |
| \`cloudbuild.yaml\` | CI on merge: test, build and push the image, compile and submit the pipeline |

## Commands

\`\`\`sh
npm install
npm test                          # type-check, then the tests
npm run compile                   # → build/pipeline.yaml (KFP IR)
npm run run                       # run the pipeline on this machine (cached; run it twice)
npx kfp-ts run pipelines/pipeline.ts --param text="to be or not to be"
npx kfp-ts runs                   # local runs; npx kfp-ts run-info RUN_ID for one run's tasks
npm run build-images              # docker build of the steps image (needs a Docker engine)
npx kfp-ts build --push --registry us-central1-docker.pkg.dev/MY_PROJECT/pipelines
npx kfp-ts submit pipelines/pipeline.ts --project MY_PROJECT --region us-central1 \\
  --registry us-central1-docker.pkg.dev/MY_PROJECT/pipelines --pipeline-root gs://MY_BUCKET/root
\`\`\`

Without Docker, \`npx kfp-ts build --cloudbuild cloudbuild.images.yaml\` writes a Cloud Build config
that builds and pushes the images, and prints the \`gcloud builds submit\` command to run.

## Images and caching

The \`steps\` image is tagged with a hash of the Dockerfile and of every file of its build context
that \`.dockerignore\` lets through (\`src-…\`): the same sources give the same tag on every machine,
and any change gives a new tag, and so a new cache key for the containerized steps. Files left out
by \`.dockerignore\` (tests, pipelines, docs) can change without rebuilding the image.

A lightweight step's cache key is its bundled code: edit the step and it runs again, and so do
the steps that consume its outputs (a new execution makes new artifacts).
`;
}

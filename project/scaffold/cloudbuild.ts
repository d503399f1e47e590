/**
 * The project's cloudbuild.yaml: on every merge, install, test, build and push the steps image
 * under its content-hash tag, compile the pipeline against it and submit it to Vertex AI. The tag
 * comes from \`kfp-ts build --print-tags\` (Cloud Build's docker builder has no Node, and the Node
 * image no Docker), written under .kfp-ts/, which is in no image, so it does not change the tag.
 */
export function cloudbuildText(): string {
  return `# On every merge to main (a Cloud Build trigger on pushes to ^main$ that runs this file): install,
# test, build and push the steps image tagged with the hash of its sources (skipped when the
# registry has that tag already), compile the pipeline against it and submit it to Vertex AI.
#
# Set on the trigger:
#   _PIPELINE_ROOT        gs://BUCKET/PATH where the pipeline's runs write their artifacts
#   _SERVICE_ACCOUNT      the service account the pipeline runs as
#   _REGION, _REPOSITORY  the Vertex AI region, and the Artifact Registry Docker repository in it
# SHORT_SHA is set only for triggered builds, so run this file from a trigger.

substitutions:
  _REGION: us-central1
  _REPOSITORY: pipelines
  _PIPELINE_ROOT: ''
  _SERVICE_ACCOUNT: ''

steps:
  # Fail in seconds, not after the image build, when the trigger lacks a setting.
  - id: check-settings
    name: node:20
    entrypoint: bash
    env:
      - _PIPELINE_ROOT=\${_PIPELINE_ROOT}
      - _SERVICE_ACCOUNT=\${_SERVICE_ACCOUNT}
      - SHORT_SHA=\${SHORT_SHA}
    args:
      - -c
      - |
        missing=""
        for name in _PIPELINE_ROOT _SERVICE_ACCOUNT SHORT_SHA; do
          [ -n "$\${!name}" ] || missing="$$missing $$name"
        done
        if [ -n "$$missing" ]; then
          echo "cloudbuild.yaml: empty:$$missing. Set the _ substitutions on the trigger." >&2
          exit 1
        fi

  - id: install
    name: node:20
    entrypoint: npm
    args: [ci, --no-audit, --no-fund]
    waitFor: [check-settings]

  - id: test
    name: node:20
    entrypoint: npm
    args: [test]
    waitFor: [install]

  # The references the pipeline compiles to: registry path and content-hash tag of each image.
  - id: image-tags
    name: node:20
    entrypoint: bash
    args:
      - -c
      - mkdir -p .kfp-ts && npx kfp-ts build --print-tags --registry=\${_REGION}-docker.pkg.dev/$PROJECT_ID/\${_REPOSITORY} > .kfp-ts/image-tags.txt
    waitFor: [install]

  # An unchanged image keeps its tag: it is neither built nor pushed again.
  - id: build-steps-image
    name: gcr.io/cloud-builders/docker
    entrypoint: bash
    args:
      - -c
      - |
        set -e
        ref=$$(awk '$$1 == "steps" { print $$2 }' .kfp-ts/image-tags.txt)
        if docker manifest inspect "$$ref" > /dev/null 2>&1; then
          echo "$$ref is in the registry already"
        else
          docker build -f Dockerfile -t "$$ref" .
          docker push "$$ref"
        fi
    waitFor: [image-tags, test]

  - id: compile
    name: node:20
    entrypoint: npx
    args:
      - kfp-ts
      - compile
      - pipelines/pipeline.ts
      - --registry=\${_REGION}-docker.pkg.dev/$PROJECT_ID/\${_REPOSITORY}
      - --output=build/pipeline.json
    waitFor: [test]

  - id: submit
    name: node:20
    entrypoint: npx
    args:
      - kfp-ts
      - submit
      - build/pipeline.json
      - --project=$PROJECT_ID
      - --region=\${_REGION}
      - --pipeline-root=\${_PIPELINE_ROOT}
      - --service-account=\${_SERVICE_ACCOUNT}
      - --label=commit=$SHORT_SHA
    waitFor: [compile, build-steps-image]

options:
  logging: CLOUD_LOGGING_ONLY
`;
}

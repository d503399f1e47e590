#!/bin/sh
# Starts `kfp-ts serve` with the Vertex AI custom-container settings: Vertex passes the model's
# location, the port and the two routes as AIP_* variables, never as arguments, and reaches the
# server from outside the container (hence 0.0.0.0). Extra container arguments are passed on.
set -eu
: "${AIP_STORAGE_URI:?set AIP_STORAGE_URI to the model folder (gs://… or a path in the container); Vertex sets it from the model's artifactUri}"
exec node cli/bin/kfp-ts.js serve \
  --model "$AIP_STORAGE_URI" \
  --host 0.0.0.0 \
  --port "${AIP_HTTP_PORT:-8080}" \
  --health-route "${AIP_HEALTH_ROUTE:-/health}" \
  --predict-route "${AIP_PREDICT_ROUTE:-/predict}" \
  "$@"

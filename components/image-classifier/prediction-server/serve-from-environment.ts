/**
 * The classifier's prediction server started the way a Vertex AI custom serving container starts:
 * everything comes from the AIP_* variables Vertex sets (the local ModelDeployOp stand-in sets the
 * same), never from arguments: the serving bundle in AIP_STORAGE_URI (a folder, or gs://… that is
 * downloaded once), the port in AIP_HTTP_PORT and the routes in AIP_PREDICT_ROUTE and
 * AIP_HEALTH_ROUTE. Its bin, kfp-ts-classifier-server, is the demo model's serving command.
 */
import { SERVING_HOST_VARIABLE } from '../../../serving/model-server/model-process';
import { parseBackendPreference, type BackendPreference } from '../train/backend-choice';
import { localModelFolder } from './model-folder';
import { startPredictionServer, type PredictionServer } from './prediction-server';

/** Not a Vertex variable: the tfjs backend (wasm by default), settable in the containerSpec's env. */
export const BACKEND_VARIABLE = 'KFP_TS_TFJS_BACKEND';

export interface ServingSettings {
  readonly storageUri: string;
  readonly port: number;
  readonly predictRoute: string;
  readonly healthRoute: string;
  /** 0.0.0.0 as Vertex requires, unless kfp-ts's stand-in asks for loopback. */
  readonly host: string;
  readonly backend: BackendPreference;
}

/** The settings of a start from `env`; throws naming the variable that is wrong. */
export function servingSettings(env: Readonly<Record<string, string | undefined>>): ServingSettings {
  const storageUri = env['AIP_STORAGE_URI'] ?? '';
  if (storageUri === '') {
    throw new Error(
      "AIP_STORAGE_URI is empty: Vertex sets it from the model's artifactUri, so upload the serving bundle folder as the artifact (importUnmanagedContainerModel's artifactUri); for a docker run, pass -e AIP_STORAGE_URI=<folder or gs://…>",
    );
  }
  const portText = env['AIP_HTTP_PORT'] || '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`AIP_HTTP_PORT='${portText}' is not a port number (1–65535)`);
  return {
    storageUri,
    port,
    predictRoute: env['AIP_PREDICT_ROUTE'] || '/predict',
    healthRoute: env['AIP_HEALTH_ROUTE'] || '/health',
    host: env[SERVING_HOST_VARIABLE] || '0.0.0.0',
    backend: parseBackendPreference(env[BACKEND_VARIABLE] || 'wasm'),
  };
}

/** Loads the bundle and serves it; resolves once the health route answers. */
export async function serveFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void,
): Promise<PredictionServer> {
  const settings = servingSettings(env);
  const bundleDir = await localModelFolder(settings.storageUri, log);
  const server = await startPredictionServer({
    bundleDir,
    predictRoute: settings.predictRoute,
    healthRoute: settings.healthRoute,
    host: settings.host,
    port: settings.port,
    backend: settings.backend,
    log,
  });
  log(`serving ${settings.storageUri} at ${server.url}: POST ${settings.predictRoute}, GET ${settings.healthRoute}`);
  return server;
}

/**
 * How a deployed model's serving container runs on this machine, as Vertex would run it: the
 * containerSpec's command and args (the image is recorded, not pulled, as the runner does for
 * tasks) with Vertex's AIP_* variables and the spec's env. A model that cannot run here is refused
 * with a ModelNotServableError saying what to change: one whose spec has no command (the image's
 * ENTRYPOINT is unknown without the image), whose command is not on this machine, or whose
 * artifact folder is not on this machine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelVersionRecord } from '../registry/model-registry';
import {
  aipVariables,
  containerEnvironment,
  defaultServingRoutes,
  expandReferences,
  type DeploymentIdentity,
  type ServingRoutes,
} from './aip-variables';
import { findExecutable, projectCommandSearchPath } from './command-search-path';
import { servingContainer } from './serving-container';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

export class ModelNotServableError extends KfpTsError {
  override readonly name = 'ModelNotServableError';
}

/** Where serving commands run: the machine's side of the container contract. */
export interface ServingHost {
  /** Where commands start and relative paths resolve: the project root, standing for the image's WORKDIR. */
  readonly workingDirectory: string;
  /** Folders a bare command name is looked up in. @default projectCommandSearchPath(workingDirectory) */
  readonly commandSearchPath?: readonly string[];
}

export interface ModelServerPlan {
  /** The model version's resource name, for messages. */
  readonly model: string;
  readonly imageUri: string;
  /** The file argv[0] names, found on this machine. */
  readonly executable: string;
  /** The command and args with `$(VARIABLE)` references expanded. */
  readonly argv: readonly string[];
  /** The AIP_* variables and the spec's env (the process gets the host's environment under them). */
  readonly env: Readonly<Record<string, string>>;
  readonly port: number;
  readonly routes: ServingRoutes;
  /** AIP_STORAGE_URI: the artifact folder on this machine, or '' for a model without one. */
  readonly storageUri: string;
  readonly workingDirectory: string;
}

const DEPLOY_ON_VERTEX = 'or deploy on Vertex AI (kfp-ts submit), which runs the image';

/** The plan for serving `version` as `deployment` on `port`; throws ModelNotServableError when it cannot run here. */
export function planModelServer(
  version: ModelVersionRecord,
  deployment: DeploymentIdentity,
  port: number,
  host: ServingHost,
): ModelServerPlan {
  const refuse = (reason: string): never => {
    throw new ModelNotServableError(`cannot serve ${version.name} on this machine: ${reason}`);
  };
  const container = servingContainer(version.containerSpec);
  const workingDirectory = path.resolve(host.workingDirectory);
  if (container.command.length === 0) {
    refuse(
      `its containerSpec has no command, so on Vertex the image's ENTRYPOINT runs (${container.imageUri || 'no image'}), which the local stand-in cannot know: it runs the ` +
        `serving command on this machine without the image. Give the containerSpec an explicit command that exists on this machine ` +
        `(e.g. importUnmanagedContainerModel({ containerSpec: { imageUri, command: ['my-server'] } }) with my-server on PATH or in node_modules/.bin), ${DEPLOY_ON_VERTEX}.`,
    );
  }
  const storageUri = localArtifactFolder(version.artifactUri, workingDirectory, refuse);
  const defaults = defaultServingRoutes(deployment);
  const routes = {
    predictRoute: container.predictRoute ?? defaults.predictRoute,
    healthRoute: container.healthRoute ?? defaults.healthRoute,
  };
  const env = containerEnvironment(aipVariables({ ...deployment, ...routes, port, storageUri }), container.env);
  const argv = [...container.command, ...container.args].map((word) => expandReferences(word, env));
  const searchPath = host.commandSearchPath ?? projectCommandSearchPath(workingDirectory);
  const executable = findExecutable(argv[0]!, searchPath, workingDirectory);
  if (executable === undefined) {
    refuse(
      `its serving command '${argv[0]}' is not an executable file on this machine (looked up ${argv[0]!.includes('/') ? `from ${workingDirectory}` : `in ${searchPath.join(path.delimiter)}`}). ` +
        `The image ${container.imageUri || '(none)'} is recorded, not run: install '${argv[0]}' here (an npm package's bin in the project works), ` +
        `give the containerSpec a command that exists on this machine, ${DEPLOY_ON_VERTEX}.`,
    );
  }
  return {
    model: version.name,
    imageUri: container.imageUri,
    executable: executable!,
    argv,
    env,
    port,
    routes,
    storageUri,
    workingDirectory,
  };
}

/**
 * The artifact folder as a path here: '' stays '' (Vertex allows a model without artifacts), a
 * file: URL or path must exist, and a gs:// (or other remote) URI is refused: locally nothing is
 * downloaded, and a server given a remote AIP_STORAGE_URI would need cloud credentials.
 */
function localArtifactFolder(uri: string, workingDirectory: string, refuse: (reason: string) => never): string {
  if (uri === '') return '';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://')) {
    refuse(
      `its artifactUri ${uri} is not on this machine, and the local stand-in downloads nothing; run the pipeline with a local pipeline root, ${DEPLOY_ON_VERTEX}.`,
    );
  }
  const folder = uri.startsWith('file://') ? fileURLToPath(uri) : path.resolve(workingDirectory, uri);
  if (!fs.existsSync(folder))
    refuse(
      `its artifact folder ${folder} does not exist (removed since the upload?); run the pipeline that made it again, ${DEPLOY_ON_VERTEX}.`,
    );
  return folder;
}

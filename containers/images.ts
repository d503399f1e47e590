/**
 * The container images kfp-ts builds (one per Dockerfile in containers/) and the names pipelines
 * refer to them by. Names come from the environment, so no project or registry is written into
 * the code:
 *
 * - `KFP_TS_IMAGE_REGISTRY`: where the images are pushed, e.g.
 *   `us-central1-docker.pkg.dev/my-project/kfp-ts` (Artifact Registry) or `localhost:5000`.
 * - `KFP_TS_IMAGE_TAG`: the commit they were built from, e.g. `$(git rev-parse HEAD)`.
 * - `KFP_TS_COMPONENT_IMAGE`: an explicit image for function components, overriding both.
 *
 * With neither registry nor tag, the local names (`kfp-ts-components:latest`, …) are used: the
 * local runner records the image but never pulls it.
 */
import { KfpTsError } from '../compiler/errors/kfp-ts-error';

export const IMAGE_REGISTRY_VARIABLE = 'KFP_TS_IMAGE_REGISTRY';
export const IMAGE_TAG_VARIABLE = 'KFP_TS_IMAGE_TAG';
export const COMPONENT_IMAGE_VARIABLE = 'KFP_TS_COMPONENT_IMAGE';

const REGISTRY_EXAMPLE = `${IMAGE_REGISTRY_VARIABLE}=us-central1-docker.pkg.dev/my-project/kfp-ts`;
const TAG_EXAMPLE = `${IMAGE_TAG_VARIABLE}=$(git rev-parse HEAD)`;
const COMPONENT_IMAGE_EXAMPLE = `${COMPONENT_IMAGE_VARIABLE}=us-central1-docker.pkg.dev/my-project/kfp-ts/kfp-ts-components:3f2c1ab`;

/** Each image: its repository name and the Dockerfile (relative to the repo root) that builds it. */
export const IMAGES = {
  components: { repository: 'kfp-ts-components', dockerfile: 'containers/components/Dockerfile' },
  trainGpu: { repository: 'kfp-ts-train-gpu', dockerfile: 'containers/train-gpu/Dockerfile' },
  serving: { repository: 'kfp-ts-serving', dockerfile: 'containers/serving/Dockerfile' },
} as const;

export type ImageRole = keyof typeof IMAGES;

/** The tag used when nothing names one: only for local names, never pushed. */
export const LOCAL_TAG = 'latest';

/** A setting that cannot name an image, with the variable, what is wrong and an example. */
export class ImageConfigurationError extends KfpTsError {
  override readonly name = 'ImageConfigurationError';
}

export type ImageEnvironment = Readonly<Record<string, string | undefined>>;

// The Docker reference grammar (distribution/reference): a host, optionally with a port, then
// lowercase path components; a tag of up to 128 word characters, dots and dashes.
const HOST = String.raw`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = String.raw`[\w][\w.-]{0,127}`;
const DIGEST = 'sha256:[a-f0-9]{64}';
const REGISTRY_PATTERN = new RegExp(`^${HOST}(?:/${PATH_COMPONENT})*$`);
const TAG_PATTERN = new RegExp(`^${TAG}$`);
const IMAGE_PATTERN = new RegExp(`^(?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/**
 * The image for one role, named from `env`: the Cloud Build steps' variables, passed in explicitly
 * (compiling reads no environment; see kfp-ts.config.ts for the images the pipelines use).
 */
export function containerImage(role: ImageRole, env: ImageEnvironment): string {
  if (role === 'components') {
    const override = setting(env, COMPONENT_IMAGE_VARIABLE);
    if (override !== undefined) return checkedImage(override);
  }
  const registry = registrySetting(env);
  const tag = tagSetting(env, registry);
  const repository = IMAGES[role].repository;
  return registry === undefined ? `${repository}:${tag}` : `${registry}/${repository}:${tag}`;
}

/** Every image, named from `env`; throws on the first bad setting. */
export function containerImages(env: ImageEnvironment): Record<ImageRole, string> {
  return {
    components: containerImage('components', env),
    trainGpu: containerImage('trainGpu', env),
    serving: containerImage('serving', env),
  };
}

/** An unset or empty variable is "not configured": CI systems often export empty strings. */
function setting(env: ImageEnvironment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function registrySetting(env: ImageEnvironment): string | undefined {
  const registry = setting(env, IMAGE_REGISTRY_VARIABLE);
  if (registry === undefined || (REGISTRY_PATTERN.test(registry) && looksLikeHost(registry))) return registry;
  throw new ImageConfigurationError(`${IMAGE_REGISTRY_VARIABLE}='${registry}' ${registryProblem(registry)}; e.g. ${REGISTRY_EXAMPLE}`);
}

function registryProblem(registry: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(registry)) return 'has a scheme: give the registry path without it';
  if (registry.endsWith('/')) return "ends with '/': remove it";
  if (/[:@][^/]*$/.test(registry.split('/').slice(1).join('/')))
    return 'includes a tag or digest: give the registry path only (kfp-ts tags each image with the hash of its sources)';
  if (REGISTRY_PATTERN.test(registry.toLowerCase()) && registry !== registry.toLowerCase())
    return 'has uppercase letters: repository paths are lowercase';
  if (REGISTRY_PATTERN.test(registry))
    return "does not start with a registry host (a name with a '.' or a port, or 'localhost'), so Docker would read it as a Docker Hub user";
  return 'is not a registry path (host[:port] then lowercase path components separated by /)';
}

/** Docker's own rule for telling a registry host from a Docker Hub namespace. */
function looksLikeHost(registry: string): boolean {
  const first = registry.split('/')[0]!;
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

function tagSetting(env: ImageEnvironment, registry: string | undefined): string {
  const tag = setting(env, IMAGE_TAG_VARIABLE);
  if (tag === undefined) {
    if (registry === undefined) return LOCAL_TAG;
    throw new ImageConfigurationError(
      `${IMAGE_REGISTRY_VARIABLE} is set but ${IMAGE_TAG_VARIABLE} is not: set it to the commit the images were built from; e.g. ${TAG_EXAMPLE}`,
    );
  }
  if (!TAG_PATTERN.test(tag)) {
    throw new ImageConfigurationError(
      `${IMAGE_TAG_VARIABLE}='${tag}' is not a Docker tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'); e.g. ${TAG_EXAMPLE}`,
    );
  }
  // Vertex's cache key includes the image name, not its contents: a moving tag would let a run
  // reuse results computed by older code.
  if (registry !== undefined && tag === LOCAL_TAG) {
    throw new ImageConfigurationError(
      `${IMAGE_TAG_VARIABLE}='${LOCAL_TAG}' with a registry would let cached steps reuse results of older images: tag with the commit; e.g. ${TAG_EXAMPLE}`,
    );
  }
  return tag;
}

function checkedImage(image: string): string {
  if (IMAGE_PATTERN.test(image)) return image;
  throw new ImageConfigurationError(
    `${COMPONENT_IMAGE_VARIABLE}='${image}' is not an image reference ([host[:port]/]lowercase/path[:tag][@sha256:digest]); e.g. ${COMPONENT_IMAGE_EXAMPLE}`,
  );
}

/** A registry path as the configuration gives it, checked; `label` says where it came from. */
export function checkRegistry(registry: string, label: string): string {
  if (REGISTRY_PATTERN.test(registry) && looksLikeHost(registry)) return registry;
  throw new ImageConfigurationError(`${label} '${registry}' ${registryProblem(registry)}; e.g. us-central1-docker.pkg.dev/my-project/ml`);
}

/**
 * Checks of the Google Cloud names a PipelineJob request carries, so a typo is reported before a
 * call rather than as a terse INVALID_ARGUMENT or NOT_FOUND. Each check returns a problem
 * sentence (what is wrong and the expected form) or undefined.
 */
import { bucketProblem, gcsUriProblem as usableGcsUriProblem, parseGcsUri } from '../compiler/util/gcs-uri';

// Project ids: 6–30 characters, lowercase letters, digits and hyphens, starting with a letter and
// not ending with a hyphen; legacy domain-scoped ids are `example.com:my-project`. A project
// number is accepted too, since the API takes either.
const projectIdPattern = /^(?:[a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const projectNumberPattern = /^[1-9][0-9]{0,19}$/;

export function projectProblem(project: string): string | undefined {
  if (projectIdPattern.test(project) || projectNumberPattern.test(project)) return undefined;
  return (
    `project '${project}' is not a valid project id: expected 6–30 lowercase letters, digits and hyphens, ` +
    `starting with a letter and not ending with a hyphen (e.g. my-project-123), or a project number`
  );
}

// Vertex AI regions are `<area>-<direction><n>` (us-central1, europe-west4, northamerica-northeast1).
const regionPattern = /^[a-z]+(?:-[a-z]+)+[0-9]+$/;

export function regionProblem(region: string): string | undefined {
  if (regionPattern.test(region)) return undefined;
  const hint = /^[a-z]+(?:-[a-z]+)+[0-9]+-[a-z]$/.test(region) ? ` (that is a zone; use the region '${region.slice(0, -2)}')` : '';
  return `region '${region}' is not a Vertex AI region${hint}: expected a name like us-central1 or europe-west4`;
}

/** A `gs://bucket/path` URI for the job: usable (compiler/util/gcs-uri.ts), and with a bucket name Cloud Storage allows. */
export function gcsUriProblem(uri: string, what: string): string | undefined {
  const problem = usableGcsUriProblem(uri, what, 'bucket');
  if (problem) return problem;
  const bucketIssue = bucketProblem(parseGcsUri(uri, what, 'bucket').bucket);
  return bucketIssue ? `${what} '${uri}': ${bucketIssue}` : undefined;
}

export function serviceAccountProblem(account: string): string | undefined {
  if (/^[a-z0-9][-a-z0-9_.+]*@[a-z0-9][-a-z0-9.]*\.[a-z]+$/.test(account)) return undefined;
  return `service account '${account}' is not a service account email: expected NAME@PROJECT.iam.gserviceaccount.com`;
}

/** Vertex AI wants the full network name with the project *number*. */
export function networkProblem(network: string): string | undefined {
  if (/^projects\/[0-9]+\/global\/networks\/[a-z]([-a-z0-9]*[a-z0-9])?$/.test(network)) return undefined;
  return `network '${network}' is not a full network name: expected projects/PROJECT_NUMBER/global/networks/NETWORK (the project number, not its id)`;
}

/** A Cloud KMS key for CMEK; Vertex AI needs the key in the job's own region (compared when the region is known to be valid). */
export function kmsKeyProblem(key: string, region: string | undefined): string | undefined {
  const match = /^projects\/[^/]+\/locations\/([^/]+)\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.exec(key);
  if (!match) return `KMS key '${key}' is not a key name: expected projects/P/locations/REGION/keyRings/RING/cryptoKeys/KEY`;
  if (region !== undefined && match[1] !== region)
    return `KMS key '${key}' is in location '${match[1]}', but the job runs in '${region}': use a key from the job's region`;
  return undefined;
}

import { KfpTsError } from '../compiler/errors/kfp-ts-error';

/**
 * An experiment is a Vertex ML Metadata context whose id is the experiment's name, so the name obeys
 * CreateContextRequest.context_id (google/cloud/aiplatform/v1/metadata_service.proto): 4 to 128
 * characters from `[a-z][0-9]-`. It must also start with a letter or digit, as the console asks.
 * The same rule applies locally, so an experiment tried here can be submitted under its name.
 */
const experimentNamePattern = /^[a-z0-9][a-z0-9-]*$/;
const minLength = 4;
const maxLength = 128;

/** Why `name` cannot name an experiment (what is wrong, and the rule), or undefined when it can. */
export function experimentNameProblem(name: string): string | undefined {
  const rule = `an experiment name is ${minLength}–${maxLength} lowercase letters, digits and hyphens, starting with a letter or digit (e.g. image-classifier-tuning)`;
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  if (name.length < minLength || name.length > maxLength) return `experiment ${shown} has ${name.length} characters: ${rule}`;
  if (!experimentNamePattern.test(name)) {
    const suggestion = name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+/, '');
    const hint =
      suggestion.length >= minLength && suggestion.length <= maxLength && experimentNamePattern.test(suggestion)
        ? ` (try '${suggestion}')`
        : '';
    return `experiment ${shown} is not a valid name${hint}: ${rule}`;
  }
  return undefined;
}

/** A name Vertex AI would refuse as an experiment, given to `--experiment` or `runPipeline({ experiment })`. */
export class ExperimentNameError extends KfpTsError {
  override readonly name = 'ExperimentNameError';
  constructor(readonly problem: string) {
    super(problem);
  }
}

export function assertValidExperimentName(name: string): void {
  const problem = experimentNameProblem(name);
  if (problem !== undefined) throw new ExperimentNameError(problem);
}

import { KfpTsError } from '../compiler/errors/kfp-ts-error';

/** A configuration file that cannot be used: which file, what is wrong, how to fix it. */
export class ConfigError extends KfpTsError {
  override readonly name = 'ConfigError';
}

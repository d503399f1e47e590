/** A configuration file that cannot be used: which file, what is wrong, how to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

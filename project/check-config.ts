import type { KfpTsConfig } from './config';
import { ConfigError } from './config-error';

const TOP_LEVEL = new Set(['pipelineRoot', 'registry', 'nodeImage', 'images', 'maxStepBundleBytes', 'vertex']);
const IMAGE_FIELDS = new Set(['dockerfile', 'context', 'repository']);
const VERTEX_FIELDS = new Set(['project', 'region', 'serviceAccount', 'labels']);

/** Checks a loaded configuration's shape, reporting every problem at once. */
export function checkConfig(value: unknown, file: string): KfpTsConfig {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${file}: the configuration must be an object (export default defineConfig({ … }))`);
  }
  const config = value as Record<string, unknown>;
  const unknownKeys = (object: Record<string, unknown>, known: Set<string>, where: string) => {
    for (const key of Object.keys(object)) {
      if (!known.has(key)) problems.push(`${where}'${key}' is not a setting (known: ${[...known].join(', ')})`);
    }
  };
  const string = (object: Record<string, unknown>, key: string, where: string) => {
    if (object[key] !== undefined && (typeof object[key] !== 'string' || object[key] === ''))
      problems.push(`${where}${key} must be a non-empty string`);
  };
  unknownKeys(config, TOP_LEVEL, '');
  for (const key of ['pipelineRoot', 'registry', 'nodeImage']) string(config, key, '');
  const limit = config['maxStepBundleBytes'];
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit <= 0))
    problems.push('maxStepBundleBytes must be a positive whole number of bytes');
  const images = config['images'];
  if (images !== undefined) {
    if (typeof images !== 'object' || images === null || Array.isArray(images))
      problems.push('images must map image names to { dockerfile, context, repository }');
    else {
      for (const [name, image] of Object.entries(images as Record<string, unknown>)) {
        if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name))
          problems.push(`images: '${name}' is not an image name (lowercase letters, digits, '.', '_' or '-')`);
        if (typeof image !== 'object' || image === null || Array.isArray(image)) {
          problems.push(`images.${name} must be an object ({} takes every default)`);
          continue;
        }
        unknownKeys(image as Record<string, unknown>, IMAGE_FIELDS, `images.${name}.`);
        for (const key of IMAGE_FIELDS) string(image as Record<string, unknown>, key, `images.${name}.`);
      }
    }
  }
  const vertex = config['vertex'];
  if (vertex !== undefined) {
    if (typeof vertex !== 'object' || vertex === null || Array.isArray(vertex)) problems.push('vertex must be an object');
    else {
      unknownKeys(vertex as Record<string, unknown>, VERTEX_FIELDS, 'vertex.');
      for (const key of ['project', 'region', 'serviceAccount']) string(vertex as Record<string, unknown>, key, 'vertex.');
    }
  }
  if (problems.length) throw new ConfigError(`${file}: ${problems.length === 1 ? problems[0] : `\n  ✖ ${problems.join('\n  ✖ ')}`}`);
  return config as KfpTsConfig;
}

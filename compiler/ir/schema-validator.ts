import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { cacheFolder } from '../util/package-paths';
import pipelineSpecSchema from './pipeline-spec.schema.json';

// verbose: errors carry the failing (sub)schema and data, which the messages are built from.
// strictRequired stays off: oneof groups name fields declared by the enclosing message, not the subschema.
// inlineRefs/optimize off: halves compile time and validation stays fast.
const options = {
  allErrors: true,
  verbose: true,
  allowUnionTypes: true,
  strictTypes: true,
  strictTuples: true,
  inlineRefs: false,
  code: { optimize: false, source: true },
} as const;

const cacheDir = cacheFolder('kfp-ts-schema');
let compiled: ValidateFunction | undefined;

/**
 * The PipelineSpec schema check. Compiling ~60 definitions takes ajv about half a second, a cost
 * every `kfp-ts compile` would pay, so the generated code is cached on disk keyed by the schema and
 * the options, and later processes load it in milliseconds.
 */
export function schemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  const { version } = require('ajv/package.json') as { version: string };
  const key = crypto
    .createHash('sha1')
    .update(JSON.stringify([pipelineSpecSchema, options, version]))
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    compiled = require(cached) as ValidateFunction;
    return compiled;
  } catch {
    // Required here, not imported: ajv's compiler is ~80 modules (~0.3 s to load) that a process with the
    // cached code, or one that never validates (most that import the compiler), does not need.
    const { default: Ajv2020 } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
    const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
    const ajv = new Ajv2020(options);
    compiled = ajv.compile(pipelineSpecSchema);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const temporary = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, standaloneCode(ajv, compiled));
      fs.renameSync(temporary, cached);
    } catch {
      // Without a writable cache every process compiles the schema itself: slower, still correct.
    }
    return compiled;
  }
}

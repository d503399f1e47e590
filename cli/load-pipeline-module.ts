import * as fs from 'node:fs';
import * as path from 'node:path';
import { isComponent, type AnyComponent } from '../compiler/dsl/component';
import { isPipeline } from '../compiler/dsl/pipeline';
import { KfpTsError } from '../compiler/errors/kfp-ts-error';
import { describeThrownValue } from './thrown-value';

/** A pipeline file that cannot be used, with what to do about it. */
export class PipelineModuleError extends KfpTsError {
  override readonly name = 'PipelineModuleError';
}

/**
 * Loads a TypeScript (or JavaScript) pipeline file and picks the pipeline to compile: the export
 * named by `exportName`, else the default export, else the only exported pipeline.
 */
export function loadPipelineModule(file: string, exportName?: string): { name: string; target: AnyComponent } {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new PipelineModuleError(`${file}: no such file`);
  require('../project/register-ts');
  let module: Record<string, unknown>;
  try {
    module = require(absolute) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof Error ? userFrame(error, absolute) : undefined;
    // `throw {}` or `throw 'text'` carries no stack, so no line: say what was thrown and how to say more.
    const reason =
      error instanceof Error
        ? error.message
        : `it threw ${describeThrownValue(error)}, which is not an Error; throw new Error('what is wrong') to say what went wrong and where`;
    throw new PipelineModuleError(`${file}: failed to load${where ? ` (at ${where})` : ''}: ${reason}`);
  }
  const candidates = Object.entries(module).filter(([, value]) => isComponent(value)) as [string, AnyComponent][];
  if (exportName !== undefined) {
    const chosen = module[exportName];
    if (!isComponent(chosen)) {
      const names = candidates.map(([n]) => n).join(', ') || 'none';
      throw new PipelineModuleError(`${file}: export '${exportName}' is not a pipeline or component (pipelines exported: ${names})`);
    }
    return { name: exportName, target: chosen };
  }
  const fallback = module['default'];
  if (isComponent(fallback)) return { name: 'default', target: fallback };
  const pipelines = candidates.filter(([, value]) => isPipeline(value));
  if (pipelines.length === 1) return { name: pipelines[0]![0], target: pipelines[0]![1] };
  if (pipelines.length === 0) {
    throw new PipelineModuleError(`${file}: exports no pipeline; export one with 'export default pipeline({ … }, …)'`);
  }
  throw new PipelineModuleError(
    `${file}: exports several pipelines (${pipelines.map(([n]) => n).join(', ')}); choose one with --export NAME`,
  );
}

function userFrame(error: Error, file: string): string | undefined {
  const line = (error.stack ?? '').split('\n').find((l) => l.includes(file));
  const match = line && /:(\d+):(\d+)\)?$/.exec(line.trim());
  return match ? `${path.relative(process.cwd(), file)}:${match[1]}` : undefined;
}

import { DslUsageError } from './errors';
import type { Group, PipelineBody } from './pipeline-body';
import type { SourceLocation } from './source-location';

/** Where new tasks go while a pipeline function runs. */
export interface BuildScope {
  readonly body: PipelineBody;
  readonly group: Group;
}

// The one scoped context: set only while a pipeline function (or a control-flow block inside it)
// runs, restored afterwards, so component calls need no explicit builder argument.
const scopes: BuildScope[] = [];

export function currentScope(what: string, location: () => SourceLocation | undefined): BuildScope {
  const scope = scopes[scopes.length - 1];
  if (!scope) {
    throw new DslUsageError(
      `${what} was called outside a pipeline body`,
      'call components inside the function given to pipeline({ … }, (params) => { … })',
      location(),
    );
  }
  return scope;
}

export function withScope<R>(scope: BuildScope, build: () => R): R {
  scopes.push(scope);
  try {
    return build();
  } finally {
    scopes.pop();
  }
}

/** Whether a pipeline function is running now (components defined then would be redefined per build). */
export function isBuildingPipeline(): boolean {
  return scopes.length > 0;
}

import { isChannel, type ParameterChannel } from '../dsl/channels';
import type { PipelineProblem } from '../dsl/errors';
import { isGroup, type Group, type PipelineBody } from '../dsl/pipeline-body';
import { isComparable } from './condition-string';

/** Whether the group holds a task, directly or in a group inside it. */
function holdsTask(group: Group): boolean {
  return group.children.some((child) => !isGroup(child) || holdsTask(child));
}

const blockNames: Partial<Record<Group['kind'], string>> = { condition: 'If/Elif/Else', loop: 'ParallelFor', exitHandler: 'ExitHandler' };

/**
 * Rules of the control-flow constructs themselves: conditions compare scalars, an exit task
 * depends on nothing but the ExitHandler it guards (the reference rejects both), and a block holds a
 * task (each block compiles to a DAG, and a DAG without tasks is not a valid PipelineSpec).
 */
export function validateControlFlow(body: PipelineBody, problems: PipelineProblem[]): void {
  const visit = (group: Group): void => {
    for (const child of group.children) if (isGroup(child)) visit(child);
    const block = blockNames[group.kind];
    if (block !== undefined && !holdsTask(group)) {
      problems.push({
        path: `${body.path}/${group.name}`,
        location: group.callSite?.location,
        message: `this ${block} block creates no task; it would compile to a DAG without tasks, which is not a valid PipelineSpec`,
        fix: 'call a component inside the block, or remove the block',
      });
    }
    if (group.kind === 'condition') {
      for (const condition of group.conditions) {
        for (const operand of [condition.left, condition.right]) {
          if (isChannel(operand) && !isComparable((operand as ParameterChannel).type)) {
            problems.push({
              path: `${body.path}/${group.name}`,
              location: group.callSite?.location,
              message: `the condition compares ${operand.describe()}, a ${(operand as ParameterChannel).type} value; conditions compare strings, numbers and booleans`,
              fix: 'compare a scalar output, or compute one with a component first',
            });
          }
        }
      }
    }
    if (group.kind === 'exitHandler') {
      const exitTask = group.exitTask;
      const readsTasks = Object.values(exitTask.args).some((value) => isChannel(value) && value.source.kind !== 'pipelineInput');
      if (readsTasks || exitTask.settings.after.length > 0) {
        problems.push({
          path: exitTask.path,
          location: exitTask.callSite.location,
          message: `the exit task of ${group.name} depends on other tasks; an exit task runs after the handler whatever happened, so it may only read pipeline parameters`,
          fix: 'pass only pipeline parameters and constants to the exit task, and read the outcome from a t.taskFinalStatus() input',
        });
      }
      if (exitTask.body !== body || exitTask.group !== group.parent) {
        problems.push({
          path: exitTask.path,
          location: group.callSite?.location,
          message: `the exit task of ${group.name} was created in another scope than the ExitHandler`,
          fix: 'create the exit task just before ExitHandler(exitTask, …), in the same block',
        });
      }
    }
  };
  visit(body.root);
}

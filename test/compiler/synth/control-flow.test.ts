import {
  Dataset,
  ExitHandler,
  If,
  ParallelFor,
  PipelineValidationError,
  collected,
  compilePipeline,
  containerComponent,
  fmt,
  pipeline,
  t,
} from '../../../compiler';

const flip = containerComponent({ name: 'flip', outputs: { side: t.string(), n: t.int() }, image: 'flip:1' });
const echo = containerComponent({ name: 'echo', inputs: { msg: t.string() }, outputs: { out: t.string() }, image: 'echo:1' });
const count = containerComponent({ name: 'count', inputs: { n: t.int() }, outputs: { total: t.int(), data: Dataset }, image: 'count:1' });
const gather = containerComponent({ name: 'gather', inputs: { values: t.list<number>() }, image: 'gather:1' });
const notify = containerComponent({ name: 'notify', inputs: { status: t.taskFinalStatus(), note: t.string() }, image: 'notify:1' });

function rejected(build: () => unknown): PipelineValidationError {
  try {
    compilePipeline(build() as Parameters<typeof compilePipeline>[0]);
  } catch (error) {
    if (error instanceof PipelineValidationError) return error;
    throw error;
  }
  throw new Error('expected the pipeline to be rejected');
}

describe('conditions', () => {
  it('compiles If/Elif/Else into condition-branches with negated upstream conditions and a OneOf output', () => {
    const spec = compilePipeline(
      pipeline({ name: 'branches' }, () => {
        const coin = flip();
        const chosen = If(coin.outputs.side.eq('heads'), () => ({ out: echo({ msg: 'H' }).outputs.out }))
          .Elif(coin.outputs.n.ge(3), () => ({ out: echo({ msg: 'N' }).outputs.out }))
          .Else(() => ({ out: echo({ msg: 'T' }).outputs.out }));
        return { chosen: chosen.outputs.out };
      }),
    );
    const root = spec.root.dag!;
    expect(Object.keys(root.tasks).sort()).toEqual(['condition-branches-1', 'flip']);
    expect(root.tasks['condition-branches-1']!.dependentTasks).toEqual(['flip']);
    const branches = spec.components!['comp-condition-branches-1']!.dag!;
    expect(branches.tasks['condition-2']!.triggerPolicy).toEqual({
      condition: "inputs.parameter_values['pipelinechannel--flip-side'] == 'heads'",
    });
    expect(branches.tasks['condition-3']!.triggerPolicy!.condition).toBe(
      "!(inputs.parameter_values['pipelinechannel--flip-side'] == 'heads') && int(inputs.parameter_values['pipelinechannel--flip-n']) >= 3",
    );
    expect(branches.tasks['condition-4']!.triggerPolicy!.condition).toBe(
      "!(inputs.parameter_values['pipelinechannel--flip-side'] == 'heads') && !(int(inputs.parameter_values['pipelinechannel--flip-n']) >= 3)",
    );
    expect(branches.outputs!.parameters!['pipelinechannel--condition-branches-1-oneof-1']).toEqual({
      valueFromOneof: {
        parameterSelectors: [
          { outputParameterKey: 'pipelinechannel--echo-out', producerSubtask: 'condition-2' },
          { outputParameterKey: 'pipelinechannel--echo-2-out', producerSubtask: 'condition-3' },
          { outputParameterKey: 'pipelinechannel--echo-3-out', producerSubtask: 'condition-4' },
        ],
      },
    });
    expect(root.outputs!.parameters!['chosen']).toEqual({
      valueFromParameter: { outputParameterKey: 'pipelinechannel--condition-branches-1-oneof-1', producerSubtask: 'condition-branches-1' },
    });
  });

  it('threads pipeline parameters into the condition DAG as pipelinechannel inputs', () => {
    const spec = compilePipeline(
      pipeline({ name: 'threads', params: { text: t.string() } }, ({ text }) => {
        If(text.ne(''), () => {
          echo({ msg: text });
        });
      }),
    );
    expect(spec.root.dag!.tasks['condition-1']!.inputs).toEqual({
      parameters: { 'pipelinechannel--text': { componentInputParameter: 'text' } },
    });
    expect(spec.components!['comp-condition-1']!.dag!.tasks['echo']!.inputs).toEqual({
      parameters: { msg: { componentInputParameter: 'pipelinechannel--text' } },
    });
  });

  it('rejects a branch output that another branch returns with another type, or that no task of its branch produced', () => {
    expect(() =>
      pipeline({ name: 'mixed' }, () => {
        const coin = flip();
        If(coin.outputs.side.eq('heads'), () => ({ out: flip().outputs.side as never })).Else(() => ({ out: flip().outputs.n as never }));
      }),
    ).toThrow(
      /control-flow\.test\.ts:\d+: output 'out' of the If\/Elif\/Else chain has a different type in each branch \(STRING, NUMBER_INTEGER\)/,
    );
    expect(() =>
      pipeline({ name: 'outside', params: { note: t.string() } }, ({ note }) => {
        const coin = flip();
        If(coin.outputs.side.eq('heads'), () => ({ out: note })).Else(() => ({ out: echo({ msg: 'T' }).outputs.out }));
      }),
    ).toThrow(
      /output 'out' of branch 1 of the If\/Elif\/Else chain is pipeline input 'note', which is not an output of a task in that branch/,
    );
    expect(() =>
      pipeline({ name: 'in-loop' }, () => {
        const coin = flip();
        If(coin.outputs.side.eq('heads'), () => {
          let inLoop: ReturnType<typeof echo> | undefined;
          ParallelFor(['a'], () => {
            inLoop = echo({ msg: 'H' });
          });
          return { out: inLoop!.outputs.out };
        }).Else(() => ({ out: echo({ msg: 'T' }).outputs.out }));
      }),
    ).toThrow(
      /output 'out' of branch 1 .* is output 'out' of task 'echo', which is not an output of a task in that branch \(outside any loop in it\)/,
    );
  });
});

describe('loops', () => {
  it('compiles a literal loop with parallelism and collects its outputs for a consumer outside', () => {
    const spec = compilePipeline(
      pipeline({ name: 'loops' }, () => {
        const loop = ParallelFor([{ n: 1 }, { n: 2 }], (item) => ({ total: count({ n: item.fields.n }).outputs.total }), {
          parallelism: 2,
        });
        gather({ values: loop.outputs.total });
      }),
    );
    const loopTask = spec.root.dag!.tasks['for-loop-2']!;
    expect(loopTask.parameterIterator).toEqual({ itemInput: 'pipelinechannel--loop-item-param-1', items: { raw: '[{"n": 1}, {"n": 2}]' } });
    expect(loopTask.iteratorPolicy).toEqual({ parallelismLimit: 2 });
    expect(spec.components!['comp-for-loop-2']!.dag!.tasks['count']!.inputs!.parameters!['n']).toEqual({
      componentInputParameter: 'pipelinechannel--loop-item-param-1',
      parameterExpressionSelector: 'parseJson(string_value)["n"]',
    });
    expect(spec.components!['comp-for-loop-2']!.outputDefinitions).toEqual({
      parameters: { 'pipelinechannel--count-total': { parameterType: 'LIST' } },
    });
    expect(spec.root.dag!.tasks['gather']).toMatchObject({
      dependentTasks: ['for-loop-2'],
      inputs: {
        parameters: { values: { taskOutputParameter: { outputParameterKey: 'pipelinechannel--count-total', producerTask: 'for-loop-2' } } },
      },
    });
  });

  it('iterates over a list output with typed items', () => {
    const lister = containerComponent({ name: 'lister', outputs: { items: t.list<number>({ items: t.int() }) }, image: 'l:1' });
    const spec = compilePipeline(
      pipeline({ name: 'over-output' }, () => {
        const list = lister();
        ParallelFor(list.outputs.items, (n) => {
          count({ n });
        });
      }),
    );
    expect(spec.root.dag!.tasks['for-loop-1']!.parameterIterator).toEqual({
      itemInput: 'pipelinechannel--lister-items-loop-item',
      items: { inputParameter: 'pipelinechannel--lister-items' },
    });
    expect(spec.components!['comp-for-loop-1']!.inputDefinitions!.parameters).toEqual({
      'pipelinechannel--lister-items': { parameterType: 'LIST' },
      'pipelinechannel--lister-items-loop-item': { parameterType: 'NUMBER_INTEGER' },
    });
  });

  it('types the item of a list<int> pipeline parameter NUMBER_INTEGER, as the reference does for List[int] (if_elif_else_complex)', () => {
    // `tsc` requires the item type of a list of numbers in a ParallelFor (test/types/control-flow.typetest.ts).
    const spec = compilePipeline(
      pipeline(
        { name: 'over-param', params: { trials: t.list<number>({ default: [1, 2, 3], items: t.int() }), names: t.list<string>() } },
        (p) => {
          ParallelFor(p.trials, (trial) => {
            count({ n: trial });
          });
          ParallelFor(p.names, (name) => {
            echo({ msg: name });
          });
        },
      ),
    );
    expect(spec.components!['comp-for-loop-1']!.inputDefinitions!.parameters).toEqual({
      'pipelinechannel--trials': { parameterType: 'LIST' },
      'pipelinechannel--trials-loop-item': { parameterType: 'NUMBER_INTEGER' },
    });
    expect(spec.components!['comp-for-loop-1']!.dag!.tasks['count']!.inputs!.parameters!['n']).toEqual({
      componentInputParameter: 'pipelinechannel--trials-loop-item',
    });
    // A list of strings needs no item type: STRING is the reference's default.
    expect(spec.components!['comp-for-loop-2']!.inputDefinitions!.parameters!['pipelinechannel--names-loop-item']).toEqual({
      parameterType: 'STRING',
    });
  });
});

describe('values threaded into groups inside loops', () => {
  // compilePipeline checks every componentInputParameter against its enclosing DAG's inputs, so
  // compiling at all proves the threading; the expectations pin where each value arrives.
  const structItems = [{ a: 'x' }, { a: 'y' }];

  it('threads a parameter whose name is part of the loop item name (items / item)', () => {
    const spec = compilePipeline(
      pipeline({ name: 'names', params: { items: t.list<string>(), item: t.string() } }, ({ items, item }) => {
        ParallelFor(items, () => {
          const coin = flip();
          If(coin.outputs.side.eq('heads'), () => {
            echo({ msg: item });
          });
        });
      }),
    );
    expect(spec.components!['comp-condition-2']!.inputDefinitions!.parameters).toHaveProperty(['pipelinechannel--item']);
  });

  it('tells literal loop 1 from literal loop 10 and up', () => {
    const spec = compilePipeline(
      pipeline({ name: 'numbering' }, () => {
        ParallelFor(['a'], (outer) => {
          for (let i = 0; i < 9; i++)
            If(flip().outputs.side.eq('x'), () => {
              count({ n: i });
            });
          ParallelFor(['b'], () => {
            ParallelFor(['c'], () => {
              echo({ msg: outer });
            });
          });
        });
      }),
    );
    expect(spec.components!['comp-for-loop-13']!.inputDefinitions!.parameters).toHaveProperty(['pipelinechannel--loop-item-param-1']);
    expect(spec.components!['comp-for-loop-15']!.dag!.tasks['echo']!.inputs!.parameters!['msg']).toEqual({
      componentInputParameter: 'pipelinechannel--loop-item-param-1',
    });
  });

  it('still threads the list a loop iterates into groups inside it that read the list', () => {
    const spec = compilePipeline(
      pipeline({ name: 'list-inside', params: { items: t.list<number>({ items: t.int() }) } }, ({ items }) => {
        ParallelFor(items, () => {
          If(flip().outputs.side.eq('heads'), () => {
            gather({ values: items });
          });
        });
      }),
    );
    expect(spec.components!['comp-condition-2']!.dag!.tasks['gather']!.inputs!.parameters!['values']).toEqual({
      componentInputParameter: 'pipelinechannel--items',
    });
  });

  it('hands a field of a literal item to a condition and a nested loop inside its loop', () => {
    const spec = compilePipeline(
      pipeline({ name: 'fields' }, () => {
        ParallelFor(structItems, (item) => {
          If(flip().outputs.side.eq('heads'), () => {
            echo({ msg: item.fields.a });
          });
          ParallelFor(['b'], () => {
            echo({ msg: item.fields.a });
          });
        });
      }),
    );
    const loop = spec.components!['comp-for-loop-2']!.dag!.tasks;
    expect(loop['condition-3']!.inputs!.parameters!['pipelinechannel--loop-item-param-1-subvar-a']).toEqual({
      componentInputParameter: 'pipelinechannel--loop-item-param-1',
      parameterExpressionSelector: 'parseJson(string_value)["a"]',
    });
    expect(spec.components!['comp-condition-3']!.dag!.tasks['echo']!.inputs!.parameters!['msg']).toEqual({
      componentInputParameter: 'pipelinechannel--loop-item-param-1-subvar-a',
    });
    expect(spec.components!['comp-for-loop-5']!.dag!.tasks['echo-2']!.inputs!.parameters!['msg']).toEqual({
      componentInputParameter: 'pipelinechannel--loop-item-param-1-subvar-a',
    });
  });

  it('keeps a literal item field inside its loop when the loop sits in a condition', () => {
    const spec = compilePipeline(
      pipeline({ name: 'loop-in-condition' }, () => {
        If(flip().outputs.side.eq('heads'), () => {
          ParallelFor(structItems, (item) => {
            echo({ msg: item.fields.a });
          });
        });
      }),
    );
    expect(spec.root.dag!.tasks['condition-1']!.inputs!.parameters).not.toHaveProperty(['pipelinechannel--loop-item-param-2-subvar-a']);
    expect(spec.components!['comp-condition-1']!.inputDefinitions!.parameters).not.toHaveProperty([
      'pipelinechannel--loop-item-param-2-subvar-a',
    ]);
  });

  it('reads an item field in a fmt string from the item', () => {
    const spec = compilePipeline(
      pipeline({ name: 'fmt-field' }, () => {
        ParallelFor(structItems, (item) => {
          echo({ msg: fmt`value=${item.fields.a}` });
        });
      }),
    );
    expect(spec.components!['comp-for-loop-2']!.dag!.tasks['echo']!.inputs!.parameters).toEqual({
      msg: { runtimeValue: { constant: "value={{$.inputs.parameters['pipelinechannel--loop-item-param-1-subvar-a']}}" } },
      'pipelinechannel--loop-item-param-1-subvar-a': {
        componentInputParameter: 'pipelinechannel--loop-item-param-1',
        parameterExpressionSelector: 'parseJson(string_value)["a"]',
      },
    });
  });
});

describe('exit handlers', () => {
  it('runs the exit task after the handler DAG whatever its state, with its final status', () => {
    const spec = compilePipeline(
      pipeline({ name: 'exits' }, () => {
        const exit = notify({ note: 'done' });
        ExitHandler(exit, () => {
          flip();
        });
      }),
    );
    expect(spec.root.dag!.tasks['notify']).toMatchObject({
      dependentTasks: ['exit-handler-1'],
      inputs: {
        parameters: { note: { runtimeValue: { constant: 'done' } }, status: { taskFinalStatus: { producerTask: 'exit-handler-1' } } },
      },
      triggerPolicy: { strategy: 'ALL_UPSTREAM_TASKS_COMPLETED' },
    });
    expect(spec.components!['comp-notify']!.inputDefinitions!.parameters!['status']).toEqual({
      isOptional: true,
      parameterType: 'TASK_FINAL_STATUS',
    });
  });

  it('threads pipeline parameters to an exit task whose ExitHandler is inside a loop', () => {
    const spec = compilePipeline(
      pipeline({ name: 'nested-exit', params: { note: t.string() } }, ({ note }) => {
        ParallelFor(['a', 'b'], () => {
          const exit = notify({ note });
          ExitHandler(exit, () => {
            flip();
          });
        });
      }),
    );
    const loop = spec.components!['comp-for-loop-2']!;
    expect(loop.inputDefinitions!.parameters).toHaveProperty(['pipelinechannel--note']);
    expect(loop.dag!.tasks['notify']!.inputs!.parameters!['note']).toEqual({ componentInputParameter: 'pipelinechannel--note' });
    expect(spec.root.dag!.tasks['for-loop-2']!.inputs!.parameters!['pipelinechannel--note']).toEqual({ componentInputParameter: 'note' });
  });
});

describe('illegal dependencies across control-flow scopes', () => {
  it('reports every one at once, with the consumer line and a fix', () => {
    const error = rejected(() =>
      pipeline({ name: 'illegal' }, () => {
        const coin = flip();
        let inBranch: ReturnType<typeof echo> | undefined;
        let inLoop: ReturnType<typeof count> | undefined;
        If(coin.outputs.side.eq('heads'), () => {
          inBranch = echo({ msg: 'in branch' });
        });
        ParallelFor([1, 2], (n) => {
          inLoop = count({ n });
        });
        echo({ msg: inBranch!.outputs.out }); // uses a branch output outside the branch
        count({ n: inLoop!.outputs.total }); // uses a loop output without collecting it
        echo({ msg: 'after' }).after(inBranch!); // orders after a task inside a branch
      }),
    );
    const file = 'test/compiler/synth/control-flow.test.ts';
    expect(error.problems.map((p) => `${p.path} ${p.location?.file.endsWith(file)} ${p.message}`)).toEqual([
      "illegal/echo-2 true depends on task 'echo' inside If/Elif/Else branch 'condition-1', which it is not in (illegal dependency across control-flow scopes)",
      "illegal/count-2 true uses output of task 'count' inside ParallelFor 'for-loop-3' without collecting it (illegal dependency across control-flow scopes)",
      "illegal/echo-3 true depends on task 'echo' inside If/Elif/Else branch 'condition-1', which it is not in (illegal dependency across control-flow scopes)",
    ]);
    expect(error.problems[0]!.fix).toContain('return the value from every branch');
    expect(error.problems[1]!.fix).toContain('loop.outputs.<name>');
    const lines = error.problems.map((p) => p.location!.line);
    expect(lines[1]).toBe(lines[0]! + 1);
    expect(lines[2]).toBe(lines[0]! + 2);
  });

  it('allows after() on a task inside a loop, which waits for every iteration', () => {
    const spec = compilePipeline(
      pipeline({ name: 'after-loop' }, () => {
        let inLoop: ReturnType<typeof count> | undefined;
        ParallelFor([1, 2], (n) => {
          inLoop = count({ n });
        });
        echo({ msg: 'after' }).after(inLoop!);
      }),
    );
    expect(spec.root.dag!.tasks['echo']!.dependentTasks).toEqual(['for-loop-2']);
  });

  it('rejects a pipeline output produced inside a loop without collecting it', () => {
    const error = rejected(() =>
      pipeline({ name: 'leaky' }, () => {
        let inLoop: ReturnType<typeof count> | undefined;
        ParallelFor([1], (n) => {
          inLoop = count({ n });
        });
        return { total: inLoop!.outputs.total };
      }),
    );
    expect(error.problems[0]!.message).toBe("pipeline output 'total' is output 'total' of task 'count', which runs inside a ParallelFor");
    expect(error.problems[0]!.fix).toContain('loop.outputs.<name>');
  });
});

describe('collected()', () => {
  it('checks every consumer of a collection, not only the first', () => {
    const error = rejected(() =>
      pipeline({ name: 'two-consumers' }, () => {
        let totals: ReturnType<typeof collected<ReturnType<typeof count>['outputs']['total']>> | undefined;
        If(flip().outputs.side.eq('heads'), () => {
          ParallelFor([1, 2], (n) => {
            totals = collected(count({ n }).outputs.total);
          });
          gather({ values: totals! }); // inside the same If: fine
        });
        gather({ values: totals! }); // outside the If, which may not have run
      }),
    );
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "two-consumers/gather-2: collects output 'total' of task 'count' from a ParallelFor inside If/Elif/Else branch 'condition-1', which may not run",
    ]);
  });

  it('rejects collecting a pipeline input, as an argument and as a pipeline output', () => {
    const error = rejected(() =>
      pipeline({ name: 'collect-input', params: { n: t.int() } }, ({ n }) => {
        gather({ values: collected(n) });
        return { all: collected(n) };
      }),
    );
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "collect-input/gather: input 'values': collects pipeline input 'n', which is not a task output",
      "collect-input: pipeline output 'all' collects pipeline input 'n', which is not a task output",
    ]);
  });
});

describe('control-flow construct rules', () => {
  const lister = containerComponent({ name: 'lister', outputs: { items: t.list() }, image: 'l:1' });

  it('rejects a condition on a list and an exit task that reads another task', () => {
    const error = rejected(() =>
      pipeline({ name: 'rules' }, () => {
        const list = lister();
        If(list.outputs.items.eq([] as never), () => {
          flip();
        });
        const coin = flip();
        const exit = echo({ msg: coin.outputs.side });
        ExitHandler(exit, () => {
          flip();
        });
      }),
    );
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "rules/condition-1: the condition compares output 'items' of task 'lister', a LIST value; conditions compare strings, numbers and booleans",
      'rules/echo: the exit task of exit-handler-2 depends on other tasks; an exit task runs after the handler whatever happened, so it may only read pipeline parameters',
    ]);
    expect(error.problems.every((p) => p.location?.file.endsWith('control-flow.test.ts'))).toBe(true);
  });

  it('rejects a block that creates no task (it would compile to a DAG without tasks), naming each', () => {
    const error = rejected(() =>
      pipeline({ name: 'empty-blocks' }, () => {
        const coin = flip();
        If(coin.outputs.side.eq('heads'), () => {});
        ParallelFor(['a', 'b'], () => {
          If(coin.outputs.side.eq('tails'), () => {});
        });
        ExitHandler(notify({ note: 'done' }), () => {});
      }),
    );
    expect(error.problems.map((p) => [p.path, p.message])).toEqual([
      [
        'empty-blocks/condition-1',
        'this If/Elif/Else block creates no task; it would compile to a DAG without tasks, which is not a valid PipelineSpec',
      ],
      [
        'empty-blocks/condition-4',
        'this If/Elif/Else block creates no task; it would compile to a DAG without tasks, which is not a valid PipelineSpec',
      ],
      [
        'empty-blocks/for-loop-3',
        'this ParallelFor block creates no task; it would compile to a DAG without tasks, which is not a valid PipelineSpec',
      ],
      [
        'empty-blocks/exit-handler-5',
        'this ExitHandler block creates no task; it would compile to a DAG without tasks, which is not a valid PipelineSpec',
      ],
    ]);
    expect(error.problems.every((p) => p.location?.file.endsWith('control-flow.test.ts'))).toBe(true);
  });

  it('rejects If on a constant, naming the line', () => {
    expect(() =>
      pipeline({ name: 'constant' }, () => {
        If(true as never, () => {});
      }),
    ).toThrow(/control-flow\.test\.ts:\d+: If needs a comparison with a run-time value, got the constant true/);
  });

  it('rejects If on a bare channel, ParallelFor over a non-list and after() on a non-task, naming the line', () => {
    expect(() =>
      pipeline({ name: 'bare-channel' }, () => {
        If(flip().outputs.side as never, () => {});
      }),
    ).toThrow(
      /control-flow\.test\.ts:\d+: If needs a comparison with a run-time value, got output 'side' of task 'flip', not a comparison/,
    );
    expect(() =>
      pipeline({ name: 'not-a-list' }, () => {
        ParallelFor(flip().outputs.side as never, () => {});
      }),
    ).toThrow(
      /control-flow\.test\.ts:\d+: ParallelFor needs a list or a list channel, got output 'side' of task 'flip', which is not a list/,
    );
    expect(() =>
      pipeline({ name: 'not-a-task' }, () => {
        flip().after(undefined as never);
      }),
    ).toThrow(/control-flow\.test\.ts:\d+: task 'flip': after\(\) takes tasks, but argument 1 is undefined/);
  });
});

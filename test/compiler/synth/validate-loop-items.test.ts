/**
 * A ParallelFor item kept in a variable and used after its loop: every such use is a user error
 * at the line of the use, naming the loop's line and the fix (before, the IR came out invalid and
 * the compiler stopped with an internal error).
 */
import * as fs from 'node:fs';
import {
  If,
  ParallelFor,
  PipelineValidationError,
  compilePipeline,
  containerComponent,
  fmt,
  pipeline,
  t,
  type LoopItem,
} from '../../../compiler';

const echo = containerComponent({ name: 'echo', inputs: { msg: t.string() }, image: 'echo:1' });
const shardStep = containerComponent({ name: 'shard-step', inputs: { path: t.string() }, image: 'shard:1' });

function problemsOf(build: () => Parameters<typeof compilePipeline>[0]) {
  try {
    compilePipeline(build());
  } catch (error) {
    if (error instanceof PipelineValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the pipeline to be rejected');
}

/** The 1-based line of this file that holds `marker`. */
const lineOf = (marker: string) =>
  fs
    .readFileSync(__filename, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(marker) && !/line(Of|After)\(/.test(line)) + 1;
/** The line under a marker comment: for a call that opens a block, where a formatter would move a comment after `{` into the block. */
const lineAfter = (marker: string) => lineOf(marker) + 1;

interface Shard {
  path: string;
}

describe('a loop item used outside its ParallelFor', () => {
  it('is reported at each use (argument, fmt string, struct field, resource, condition, nested loop) with the loop line and a fix', () => {
    const problems = problemsOf(() =>
      pipeline(
        { name: 'leaky', params: { words: t.list<string>(), shards: t.list<Shard>({ items: t.struct() }) } },
        ({ words, shards }) => {
          let word!: LoopItem<string>;
          let shard!: LoopItem<Shard>;
          // loop A
          ParallelFor(words, (item) => {
            word = item;
            echo({ msg: item });
          });
          // loop B
          ParallelFor(shards, (item) => {
            shard = item;
            shardStep({ path: item.fields.path });
          });
          echo({ msg: word }); // use 1
          echo({ msg: fmt`word=${word}` }); // use 2
          echo({ msg: shard.fields.path }); // use 3
          echo({ msg: 'x' }).setAcceleratorType(word); // use 4
          // use 5
          If(word.eq('stop'), () => {
            echo({ msg: 'stopping' });
          });
          ParallelFor(['a', 'b'], () => {
            echo({ msg: word }); // use 6, inside another loop
          });
        },
      ),
    );
    const loopA = `the ParallelFor at test/compiler/synth/validate-loop-items.test.ts:${lineAfter('// loop A')}`;
    expect(problems.map((p) => [p.path, p.location?.line, p.message])).toEqual([
      [
        'leaky/echo-2',
        lineOf('// use 1'),
        `input 'msg' takes the item of for-loop-1 outside that loop (${loopA}); a loop item exists only inside its loop's body`,
      ],
      [
        'leaky/echo-3',
        lineOf('// use 2'),
        `input 'msg' (a fmt string) takes the item of for-loop-1 outside that loop (${loopA}); a loop item exists only inside its loop's body`,
      ],
      [
        'leaky/echo-4',
        lineOf('// use 3'),
        `input 'msg' takes the item field 'path' of for-loop-2 outside that loop (the ParallelFor at test/compiler/synth/validate-loop-items.test.ts:${lineAfter('// loop B')}); a loop item exists only inside its loop's body`,
      ],
      [
        'leaky/echo-5',
        lineOf('// use 4'),
        `the accelerator type takes the item of for-loop-1 outside that loop (${loopA}); a loop item exists only inside its loop's body`,
      ],
      [
        'leaky/condition-3',
        lineAfter('// use 5'),
        `the condition compares the item of for-loop-1 outside that loop (${loopA}); a loop item exists only inside its loop's body`,
      ],
      [
        'leaky/echo-7',
        lineOf('// use 6'),
        `input 'msg' takes the item of for-loop-1 outside that loop (${loopA}); a loop item exists only inside its loop's body`,
      ],
    ]);
    for (const problem of problems) {
      expect(problem.location?.file).toBe(__filename);
      expect(problem.fix).toContain('use the item only inside the ParallelFor body');
      expect(problem.fix).toContain('loop.outputs.<name>');
    }
  });

  it('is reported when another ParallelFor iterates it outside its loop', () => {
    const problems = problemsOf(() =>
      pipeline({ name: 'nested-leak', params: { rows: t.list<string[]>({ items: t.list() }) } }, ({ rows }) => {
        let row!: LoopItem<string[]>;
        ParallelFor(rows, (item) => {
          row = item;
          shardStep({ path: 'row' });
        });
        // iterates the leaked item
        ParallelFor(row, (cell) => {
          echo({ msg: cell });
        });
      }),
    );
    expect(problems.map((p) => [p.path, p.location?.line])).toEqual([['nested-leak/for-loop-2', lineAfter('// iterates the leaked item')]]);
    expect(problems[0]!.message).toMatch(/^the ParallelFor iterates the item of for-loop-1 outside that loop/);
  });

  it('still compiles items used inside their loop, nested loops included', () => {
    expect(() =>
      compilePipeline(
        pipeline({ name: 'tidy', params: { rows: t.list<string[]>({ items: t.list() }) } }, ({ rows }) => {
          ParallelFor(rows, (row) => {
            ParallelFor(row, (cell) => {
              echo({ msg: cell }).setAcceleratorType(cell);
              echo({ msg: fmt`${row}` });
            });
          });
        }),
      ),
    ).not.toThrow();
  });
});

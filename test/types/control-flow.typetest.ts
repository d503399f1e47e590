/**
 * Type-level tests for control flow: typed loop items, Collected lists and OneOf outputs. Each
 * `@ts-expect-error` line must fail to compile (tsc fails on an unused directive).
 */
import {
  Dataset,
  If,
  Model,
  ParallelFor,
  collected,
  containerComponent,
  pipeline,
  t,
  type ArtifactChannel,
  type ParameterChannel,
} from '../../compiler';

interface Shard {
  path: string;
  rows: number;
}

const listShards = containerComponent({
  name: 'list-shards',
  outputs: { shards: t.list<Shard>({ items: t.struct() }), names: t.list<string>() },
  image: 'lister:1',
});
const countRows = containerComponent({
  name: 'count-rows',
  inputs: { path: t.string(), expected: t.int({ default: 0 }) },
  outputs: { rows: t.int(), data: Dataset },
  image: 'counter:1',
});
const sum = containerComponent({ name: 'sum', inputs: { values: t.list<number>() }, outputs: { total: t.int() }, image: 'sum:1' });
const train = containerComponent({ name: 'train', inputs: { data: Dataset }, outputs: { model: Model, score: t.float() }, image: 'train:1' });
const merge = containerComponent({ name: 'merge', inputs: { parts: t.artifactList(Dataset) }, outputs: { data: Dataset }, image: 'merge:1' });

pipeline({ name: 'control-flow-types' }, () => {
  const shards = listShards();

  // A loop over list<struct> gives typed fields.
  const loop = ParallelFor(shards.outputs.shards, (shard) => {
    const path: ParameterChannel<'STRING', string> = shard.fields.path;
    const counted = countRows({ path, expected: shard.fields.rows });
    // @ts-expect-error TS2322 Type '"NUMBER_INTEGER"' is not assignable to type '"STRING"' — a number field into a string input
    countRows({ path: shard.fields.rows });
    // @ts-expect-error TS2339 Property 'size' does not exist on type '{ readonly path: LoopItem<string>; readonly rows: LoopItem<number>; }' — 'size' is not a field of Shard
    void shard.fields.size;
    return { rows: counted.outputs.rows, data: counted.outputs.data };
  });

  // Collected outputs are lists: of ints, and of Dataset artifacts.
  sum({ values: loop.outputs.rows });
  merge({ parts: loop.outputs.data });
  const rowsList: ParameterChannel<'LIST', number[]> = loop.outputs.rows;
  const dataList: ArtifactChannel<'system.Dataset', true> = loop.outputs.data;
  void rowsList;
  void dataList;
  // @ts-expect-error TS2322 Type '"LIST"' is not assignable to type '"NUMBER_INTEGER"' — a list of ints is not an int
  countRows({ path: 'x', expected: loop.outputs.rows });
  // @ts-expect-error TS2322 Type 'true' is not assignable to type 'false' — a list of datasets is not a single dataset
  train({ data: loop.outputs.data });
  // @ts-expect-error TS2339 Property 'missing' does not exist on type — the loop returned no 'missing' output
  void loop.outputs.missing;

  // A loop over a literal list of structs types its fields too.
  ParallelFor([{ path: 'a', rows: 1 }], (item) => {
    countRows({ path: item.fields.path });
    // @ts-expect-error TS2322 Type '"NUMBER_INTEGER"' is not assignable to type '"STRING"' — a number field into a string input
    countRows({ path: item.fields.rows });
  });

  // A loop over a list of artifacts gives single artifacts.
  ParallelFor(loop.outputs.data, (part) => {
    train({ data: part });
  });

  // collected() turns a single value into a list.
  ParallelFor(shards.outputs.names, (name) => {
    const counted = countRows({ path: name });
    const all: ParameterChannel<'LIST', number[]> = collected(counted.outputs.rows);
    void all;
  });

  // OneOf: every branch returns the same typed outputs; the chain's outputs have those types.
  const data = countRows({ path: 'x' });
  const chosen = If(data.outputs.rows.gt(10), () => {
    const big = train({ data: data.outputs.data });
    return { model: big.outputs.model, score: big.outputs.score };
  }).Else(() => {
    const small = train({ data: data.outputs.data });
    return { model: small.outputs.model, score: small.outputs.score };
  });
  const model: ArtifactChannel<'system.Model', false> = chosen.outputs.model;
  void model;
  // @ts-expect-error TS2322 Type '"system.Model"' is not assignable to type '"system.Dataset" | "system.Artifact"' — a OneOf Model is not a Dataset
  train({ data: chosen.outputs.model });

  If(data.outputs.rows.gt(10), () => ({ score: train({ data: data.outputs.data }).outputs.score }))
    // @ts-expect-error TS2741 Property 'score' is missing in type '{ other: ParameterChannel<"NUMBER_DOUBLE", number, DeclaredItemType>; }' — every branch must return the same outputs
    .Else(() => ({ other: train({ data: data.outputs.data }).outputs.score }));

  // Conditions compare like with like.
  // @ts-expect-error TS2345 Argument of type 'string' is not assignable to parameter of type 'number | ParameterChannel<ParameterTypeName, number, DeclaredItemType>' — an int output compared with a string
  If(data.outputs.rows.eq('ten'), () => {});
});

// A loop over a list of numbers or booleans needs the list's item type: without `items`, the IR
// would type each item STRING (as the reference does for a bare `list`), not NUMBER_INTEGER.
const sizes = containerComponent({
  name: 'sizes',
  outputs: { undeclared: t.list<number>(), declared: t.list<number>({ items: t.int() }), flags: t.list<boolean>() },
  image: 'sizes:1',
});

pipeline(
  { name: 'numeric-loop-items', params: { bare: t.list<number>(), typed: t.list<number>({ items: t.int() }), words: t.list<string>() } },
  ({ bare, typed, words }) => {
    // @ts-expect-error TS2379 Property ''declare the item type of this list, e.g. t.list<number>({ items: t.int() }) or { items: t.float() }'' is missing — t.list<number>() without { items: t.int() } (or t.float())
    ParallelFor(bare, () => {});
    ParallelFor(typed, (size) => {
      countRows({ path: 'x', expected: size });
    });
    const made = sizes();
    // @ts-expect-error TS2379 Property ''declare the item type of this list, e.g. t.list<number>({ items: t.int() }) or { items: t.float() }'' is missing — a task output declared t.list<number>() without items
    ParallelFor(made.outputs.undeclared, () => {});
    // @ts-expect-error TS2379 Property ''declare the item type of this list, e.g. t.list<number>({ items: t.int() }) or { items: t.float() }'' is missing — booleans need their item type too
    ParallelFor(made.outputs.flags, () => {});
    ParallelFor(made.outputs.declared, (size) => {
      countRows({ path: 'x', expected: size });
    });
    // Strings (the IR's default item type) and literal lists need nothing more.
    ParallelFor(words, (word) => {
      countRows({ path: word });
    });
    ParallelFor([1, 2, 3], (n) => {
      countRows({ path: 'x', expected: n });
    });
  },
);

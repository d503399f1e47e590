/**
 * The item a ParallelFor gives its body: its static type (ItemOf), the `tsc` rule that lists of
 * numbers or booleans declare their item type, and the run-time channel with struct `fields`.
 */
import { ArtifactChannel, ParameterChannel, isChannel, type LoopItem } from './channels';
import type { LoopGroup } from './pipeline-body';
import type { JsonValue, ParameterTypeName } from './types';

/** The item a ParallelFor body gets for its items: a typed loop item, or one artifact of a list. */
export type ItemOf<I> =
  I extends ParameterChannel<'LIST', infer V>
    ? V extends readonly (infer E)[]
      ? LoopItem<E>
      : LoopItem<JsonValue>
    : I extends ArtifactChannel<infer T, true>
      ? ArtifactChannel<T, false>
      : I extends readonly (infer E)[]
        ? LoopItem<E>
        : never;

/**
 * True for a list of numbers or booleans declared without its item type (`t.list<number>()`): the IR
 * would type each item STRING, the reference's default for an untyped list, so an int item would
 * not reach an int input as NUMBER_INTEGER. Lists of strings and structs are fine either way.
 */
export type LacksNeededItemType<I> =
  I extends ParameterChannel<'LIST', infer V, infer D>
    ? [D] extends [undefined]
      ? V extends readonly (infer E)[]
        ? [E] extends [number | boolean]
          ? true
          : false
        : false
      : false
    : false;

/** What `tsc` shows when LacksNeededItemType holds. */
export interface ItemTypeRequired {
  readonly 'declare the item type of this list, e.g. t.list<number>({ items: t.int() }) or { items: t.float() }': never;
}

/** The item type of a literal list, from its first element (as the reference types `loop-item-param-N`). */
export function literalItemType(items: readonly JsonValue[]): ParameterTypeName {
  const first = items[0];
  if (typeof first === 'number') return Number.isInteger(first) ? 'NUMBER_INTEGER' : 'NUMBER_DOUBLE';
  if (typeof first === 'boolean') return 'BOOLEAN';
  if (Array.isArray(first)) return 'LIST';
  if (typeof first === 'object' && first !== null) return 'STRUCT';
  return 'STRING';
}

/** The channel a loop body gets: the item, with typed `fields` for struct items. */
export function loopItemChannel(group: LoopGroup, items: unknown): ParameterChannel | ArtifactChannel {
  if (isChannel(items) && items.kind === 'artifact') {
    return new ArtifactChannel({ kind: 'loopItem', loop: group }, items.artifactType, false);
  }
  return withFields(new ParameterChannel({ kind: 'loopItem', loop: group }, group.itemType ?? 'STRING'), group);
}

/** Adds `fields`: a channel per struct field of the item, made on first use. */
function withFields(item: ParameterChannel, group: LoopGroup): ParameterChannel {
  const cache = new Map<string, ParameterChannel>();
  const fields = new Proxy(
    {},
    {
      get(_target, key) {
        if (typeof key !== 'string') return undefined;
        let field = cache.get(key);
        if (!field) {
          field = new ParameterChannel({ kind: 'loopItem', loop: group, field: key }, 'STRING');
          cache.set(key, field);
        }
        return field;
      },
    },
  );
  Object.defineProperty(item, 'fields', { value: fields, enumerable: false });
  return item;
}

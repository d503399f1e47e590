/**
 * Seeded stratified train/val/test split. Each class is split on its own so every split keeps the
 * class proportions; a row whose manifest names a split keeps it and counts towards that split's
 * share of its class.
 */
import type { SplitName } from './manifest';
import { deriveSeed, seededRandom, shuffled } from './seeded-random';
import { itemAt } from '../../../compiler/util/checked-access';

export interface SplitItem {
  /** Identifies the item independently of manifest order (the image reference). */
  readonly key: string;
  readonly label: string;
  /** The split the manifest gives the row, if any. */
  readonly split?: SplitName;
}

export interface SplitOptions {
  readonly valFraction: number;
  readonly testFraction: number;
  readonly seed: number;
}

export function validateFractions(valFraction: number, testFraction: number): void {
  for (const [name, value] of [
    ['valFraction', valFraction],
    ['testFraction', testFraction],
  ] as const) {
    if (!(value >= 0 && value < 1)) throw new Error(`${name} must be in [0, 1), got ${value}; e.g. valFraction 0.15, testFraction 0.15.`);
  }
  if (valFraction + testFraction >= 1) {
    throw new Error(
      `valFraction + testFraction is ${valFraction + testFraction}, which leaves nothing to train on; keep the sum below 1 (e.g. 0.15 + 0.15).`,
    );
  }
}

/**
 * The split of each item, parallel to `items`. Per class: the targets are round(n × fraction) of
 * its n items; fixed rows count first, the free ones are shuffled with a per-class seed (sorted by
 * key first, so manifest order does not matter) and fill test, then val, then train. A class with
 * free items always keeps at least one of them for training.
 */
export function stratifiedSplit(items: readonly SplitItem[], options: SplitOptions): SplitName[] {
  validateFractions(options.valFraction, options.testFraction);
  const result: SplitName[] = new Array(items.length);
  const byClass = new Map<string, number[]>();
  items.forEach((item, index) => {
    const members = byClass.get(item.label);
    if (members) members.push(index);
    else byClass.set(item.label, [index]);
  });
  for (const [label, members] of byClass) {
    const fixed = { train: 0, val: 0, test: 0 };
    const free: number[] = [];
    for (const index of members) {
      const split = itemAt(items, index, 'item').split;
      if (split) {
        result[index] = split;
        fixed[split]++;
      } else {
        free.push(index);
      }
    }
    const total = members.length;
    let needTest = Math.min(free.length, Math.max(0, Math.round(total * options.testFraction) - fixed.test));
    let needVal = Math.min(free.length - needTest, Math.max(0, Math.round(total * options.valFraction) - fixed.val));
    while (free.length > 0 && needTest + needVal >= free.length) {
      if (needTest >= needVal) needTest--;
      else needVal--;
    }
    const keyOf = (index: number) => itemAt(items, index, 'item').key;
    free.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : a - b));
    const order = shuffled(free, seededRandom(deriveSeed(options.seed, label)));
    order.forEach((index, position) => {
      result[index] = position < needTest ? 'test' : position < needTest + needVal ? 'val' : 'train';
    });
  }
  return result;
}

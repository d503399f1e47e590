import type { SplitName } from '../../../../components/image-classifier/preprocess/manifest';
import { stratifiedSplit, type SplitItem } from '../../../../components/image-classifier/preprocess/stratified-split';
import { defined } from '../../../support/defined';

const items: SplitItem[] = [];
for (const [label, count] of [
  ['cat', 40],
  ['dog', 20],
  ['eel', 10],
] as const) {
  for (let i = 0; i < count; i++) items.push({ key: `${label}/${String(i).padStart(3, '0')}.png`, label });
}
const options = { valFraction: 0.2, testFraction: 0.1, seed: 7 };

function counts(labels: readonly SplitItem[], splits: readonly SplitName[]): Record<string, Record<SplitName, number>> {
  const out: Record<string, Record<SplitName, number>> = {};
  labels.forEach((item, i) => {
    const perSplit = (out[item.label] ??= { train: 0, val: 0, test: 0 });
    perSplit[defined(splits[i], `split ${i}`)]++;
  });
  return out;
}

describe('stratifiedSplit', () => {
  it('gives every class round(n × fraction) val and test items', () => {
    expect(counts(items, stratifiedSplit(items, options))).toEqual({
      cat: { train: 28, val: 8, test: 4 },
      dog: { train: 14, val: 4, test: 2 },
      eel: { train: 7, val: 2, test: 1 },
    });
  });

  it('is the same for the same seed, different for another, and independent of input order', () => {
    const first = stratifiedSplit(items, options);
    expect(stratifiedSplit(items, options)).toEqual(first);
    expect(stratifiedSplit(items, { ...options, seed: 8 })).not.toEqual(first);
    const reversed = [...items].reverse();
    expect(stratifiedSplit(reversed, options)).toEqual([...first].reverse());
  });

  it('keeps the split a row names, and counts it towards its class share', () => {
    const pinned: SplitItem[] = items.map((item, i) => (i < 6 ? { ...item, split: 'test' } : item));
    const splits = stratifiedSplit(pinned, options);
    expect(splits.slice(0, 6)).toEqual(['test', 'test', 'test', 'test', 'test', 'test']);
    // cat wants 4 test items; 6 are pinned, so no free cat item goes to test.
    expect(counts(pinned, splits)['cat']).toEqual({ train: 26, val: 8, test: 6 });
  });

  it('keeps at least one item of a small class for training', () => {
    const tiny: SplitItem[] = [
      { key: 'a', label: 'x' },
      { key: 'b', label: 'x' },
    ];
    expect(stratifiedSplit(tiny, { valFraction: 0.25, testFraction: 0.25, seed: 1 }).filter((split) => split === 'train')).toHaveLength(1);
    expect(stratifiedSplit([{ key: 'a', label: 'x' }], { valFraction: 0.4, testFraction: 0.4, seed: 1 })).toEqual(['train']);
  });

  it('rejects fractions that leave nothing to train on', () => {
    expect(() => stratifiedSplit(items, { valFraction: 0.5, testFraction: 0.5, seed: 1 })).toThrow(
      'valFraction + testFraction is 1, which leaves nothing to train on; keep the sum below 1 (e.g. 0.15 + 0.15).',
    );
    expect(() => stratifiedSplit(items, { valFraction: -0.1, testFraction: 0.1, seed: 1 })).toThrow(
      'valFraction must be in [0, 1), got -0.1; e.g. valFraction 0.15, testFraction 0.15.',
    );
  });
});

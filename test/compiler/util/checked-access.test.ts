import { entryOf, itemAt } from '../../../compiler/util/checked-access';

describe('itemAt', () => {
  it('returns the item at an index in range, including falsy ones', () => {
    expect(itemAt(['a', 'b'], 1)).toBe('b');
    expect(itemAt([0, 1], 0)).toBe(0);
    expect(itemAt(new Float64Array([2.5]), 0)).toBe(2.5);
  });

  it('names what was out of range, the index and the length', () => {
    expect(() => itemAt(['a'], 3, 'row')).toThrow('row 3 is out of range (1 present)');
    expect(() => itemAt([], -1)).toThrow('item -1 is out of range (0 present)');
  });
});

describe('entryOf', () => {
  it('returns the value stored under a key', () => {
    expect(entryOf(new Map([['x', 0]]), 'x')).toBe(0);
  });

  it('names the missing key', () => {
    expect(() => entryOf(new Map<string, number>(), 'y', 'shard')).toThrow('shard y is missing');
  });
});

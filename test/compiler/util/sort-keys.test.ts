import { sortKeys } from '../../../compiler/util/sort-keys';

describe('sortKeys', () => {
  it('sorts the keys of every object, nested in objects and lists, and keeps list order', () => {
    const sorted = sortKeys({ b: 1, a: { d: [{ z: 1, y: 2 }, 3], c: null } });
    expect(JSON.stringify(sorted)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1},3]},"b":1}');
  });

  it('orders keys by UTF-16 code unit, as Python sort_keys does', () => {
    expect(Object.keys(sortKeys({ b: 0, B: 0, _: 0, é: 0, 'a-1': 0 }) as object)).toEqual(['B', '_', 'a-1', 'b', 'é']);
  });

  it('leaves integer-like keys first, in numeric order, where every JavaScript object keeps them', () => {
    expect(Object.keys(sortKeys({ x: 0, '10': 0, '9': 0 }) as object)).toEqual(['9', '10', 'x']);
  });

  it('keeps a key named __proto__ as an ordinary key', () => {
    const parsed: unknown = JSON.parse('{"z":1,"__proto__":{"polluted":true}}');
    const sorted = sortKeys(parsed) as Record<string, unknown>;
    expect(JSON.stringify(sorted)).toBe('{"__proto__":{"polluted":true},"z":1}');
    expect(Object.getPrototypeOf(sorted)).toBe(Object.prototype);
  });

  it('returns scalars as they are', () => {
    expect([sortKeys('s'), sortKeys(1.5), sortKeys(null), sortKeys(true)]).toEqual(['s', 1.5, null, true]);
  });
});

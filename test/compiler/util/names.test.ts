import { UniqueNames, sanitizeName } from '../../../compiler/util/names';

describe('reference naming rules', () => {
  it.each([
    ['add_numbers', 'add-numbers'],
    ['Train Model (v2)', 'train-model-v2'],
    ['__x__y__', 'x-y'],
    ['already-fine-1', 'already-fine-1'],
    ['ÜBER', 'ber'],
  ])('sanitizes %s to %s', (name, expected) => {
    expect(sanitizeName(name)).toBe(expected);
  });

  it('keeps the first name bare and numbers repeats from 2', () => {
    const names = new UniqueNames();
    expect(['a', 'a', 'a', 'b'].map((n) => names.allocate(n))).toEqual(['a', 'a-2', 'a-3', 'b']);
  });

  it('skips a suffixed name that is already taken', () => {
    const names = new UniqueNames();
    expect(['a-2', 'a', 'a', 'a'].map((n) => names.allocate(n))).toEqual(['a-2', 'a', 'a-3', 'a-4']);
  });
});

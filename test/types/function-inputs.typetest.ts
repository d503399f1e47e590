/**
 * Type-level tests of what a function component's implementation sees: an input declared with a
 * default always has a value (the executor fills the default in), so it is `T`; an input declared
 * `optional` without a default may be absent, so it is `T | undefined`. Checked by `tsc` in
 * `npm test`: each `@ts-expect-error` line must fail to compile, the other lines must compile.
 */
import { functionComponent, t } from '../../compiler';

const exact = <T>(value: T) => value;

export const withDefaults = functionComponent({
  name: 'with-defaults',
  inputs: {
    count: t.int({ default: 3 }),
    label: t.string({ default: 'x' }),
    tags: t.list<string>({ default: [] }),
    options: t.struct<{ depth: number }>({ default: { depth: 1 } }),
    maybe: t.int({ optional: true }),
    required: t.float(),
  },
  outputs: { total: t.float() },
  implementation: ({ inputs }) => {
    exact<number>(inputs.count);
    exact<string>(inputs.label.toUpperCase());
    exact<string[]>(inputs.tags);
    exact<number>(inputs.options.depth);
    exact<number>(inputs.required);
    exact<number | undefined>(inputs.maybe);
    // @ts-expect-error TS2345 Type 'undefined' is not assignable to type 'number' — an optional input without a default may be absent
    exact<number>(inputs.maybe);
    return { total: inputs.count + inputs.required + (inputs.maybe ?? 0) };
  },
});

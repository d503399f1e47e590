import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import {
  DOCUMENT_LIMITS,
  checkDocumentLimits,
  formatDocumentPath,
  jsonDepthExceededAt,
  readTextWithin,
} from '../../../compiler/util/document-limits';

/** `levels` anchors, each a list of `fanOut` aliases of the one before: fanOut^levels strings once expanded. */
function aliasBombYaml(levels: number, fanOut: number): string {
  const lines = ['a0: &a0 "lol"'];
  for (let level = 1; level <= levels; level++) {
    lines.push(
      `a${level}: &a${level} [${Array(fanOut)
        .fill(`*a${level - 1}`)
        .join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const parse = (text: string): unknown => yaml.load(text, { schema: yaml.JSON_SCHEMA });

describe('checkDocumentLimits', () => {
  it('accepts an ordinary document and a few aliases', () => {
    expect(checkDocumentLimits({ a: [1, 'two', { three: null }] })).toBeUndefined();
    expect(checkDocumentLimits(parse('base: &b {x: 1}\ncopy: *b\nother: *b\n'))).toBeUndefined();
  });

  it('refuses an alias bomb, naming the path of the node that expands too far', () => {
    const found = checkDocumentLimits(parse(aliasBombYaml(9, 10)));
    expect(found?.problem).toMatch(/expands through YAML aliases to more than 33554432 values and characters/);
    expect(found?.fix).toMatch(/write the values out/);
    expect(formatDocumentPath(found!.path)).toMatch(/^a[0-9]$/);
  });

  it('refuses a cyclic alias', () => {
    const found = checkDocumentLimits(parse('root:\n  value: &c [1, *c]\n'));
    expect(found?.problem).toMatch(/contains the alias \(a cycle\)/);
    expect(formatDocumentPath(found!.path)).toBe('root.value[1]');
  });

  it('refuses more aliases than the limit even when they expand to little', () => {
    const text = `base: &b [1]\nuses: [${Array(DOCUMENT_LIMITS.maxAliases + 1)
      .fill('*b')
      .join(',')}]\n`;
    expect(checkDocumentLimits(parse(text))?.problem).toMatch(/more than 10000 times/);
  });

  it('refuses nesting deeper than the limit, as JSON.parse builds it', () => {
    const depth = 5000;
    const found = checkDocumentLimits(JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`));
    expect(found?.problem).toBe('nests deeper than 100 levels');
  });

  it('counts a scalar alias at every use', () => {
    const big = 'x'.repeat(1_000_000);
    const text = `s: &s "${big}"\nl: [${Array(40).fill('*s').join(',')}]\n`;
    expect(checkDocumentLimits(parse(text))?.problem).toMatch(/expands through YAML aliases/);
  });
});

describe('jsonDepthExceededAt', () => {
  it('finds where JSON nests too deep, ignoring brackets inside strings', () => {
    expect(jsonDepthExceededAt('{"a": [[1]], "b": "[[[[[[["}', 3)).toBeUndefined();
    // As checkDocumentLimits counts: the root is level 0, so maxDepth 3 allows four containers nested, not five.
    expect(jsonDepthExceededAt('{"a": [[[[1]]]]}', 3)).toBe(9);
    expect(jsonDepthExceededAt('{"a\\"": "\\"[[[[", "b": [[]]}', 3)).toBeUndefined();
  });
});

describe('readTextWithin', () => {
  it('reads a file within the limit and refuses a larger one without reading it whole', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-limits-'));
    try {
      const file = path.join(dir, 'f.yaml');
      fs.writeFileSync(file, 'abcdef');
      expect(readTextWithin(file, 6)).toBe('abcdef');
      expect(readTextWithin(file, 5)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops at the limit on a device that never ends', () => {
    expect(readTextWithin('/dev/zero', 1024)).toBeUndefined();
  });
});

import Database from 'better-sqlite3';
import { MetadataStore, metadataToProperties, type Properties } from '../../../runner/mlmd/metadata-store';
import { useTempDir } from './temp-dir';
import { defined } from '../../support/defined';

const newFile = useTempDir('mlmd-properties');

describe('metadataToProperties (KFP’s artifact metadata mapping)', () => {
  it('maps string → string, number → double, bool → int, list and object → wrapped struct, and skips null', () => {
    expect(
      metadataToProperties({
        name: 'm',
        accuracy: 0.9,
        epochs: 3,
        ok: true,
        off: false,
        tags: ['a', 1],
        cm: { x: [1] },
        gone: null,
        unset: undefined,
      }),
    ).toEqual({
      name: { string: 'm' },
      accuracy: { double: 0.9 },
      epochs: { double: 3 },
      ok: { int: 1 },
      off: { int: 0 },
      tags: { struct: { list: ['a', 1] } },
      cm: { struct: { struct: { x: [1] } } },
    });
  });

  it('rejects non-JSON metadata', () => {
    expect(() => metadataToProperties({ f: () => 1 })).toThrow("metadata 'f' is a function");
  });
});

interface Row {
  name: string;
  is_custom_property: number;
  int_value: unknown;
  double_value: unknown;
  string_value: unknown;
  byte_value: unknown;
  proto_value: unknown;
  bool_value: unknown;
}

function executionPropertyRows(file: string, executionId: number): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT name, is_custom_property, int_value, double_value, string_value, byte_value, proto_value, bool_value FROM ExecutionProperty WHERE execution_id = ? ORDER BY name',
      )
      .all(executionId) as Row[];
  } finally {
    db.close();
  }
}

const valueColumns = ['int_value', 'double_value', 'string_value', 'byte_value', 'proto_value', 'bool_value'] as const;
const nonNullColumns = (row: Row) => valueColumns.filter((column) => row[column] !== null);

describe('property rows', () => {
  const properties: Properties = {
    count: { int: 42 },
    ratio: { double: 0.125 },
    whole: { double: 3 },
    label: { string: 'hello' },
    inputs: { struct: { msg: 'hi' } },
    flag: { bool: true },
  };

  it('store each kind in its own column, custom, with exactly one non-NULL value column', () => {
    const file = newFile();
    const store = MetadataStore.open(file);
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      contextIds: [],
      customProperties: properties,
    });
    store.close();
    const rows = executionPropertyRows(file, id);
    expect(rows.map((row) => [row.name, nonNullColumns(row)])).toEqual([
      ['count', ['int_value']],
      ['flag', ['bool_value']],
      ['inputs', ['string_value']],
      ['label', ['string_value']],
      ['ratio', ['double_value']],
      ['whole', ['double_value']],
    ]);
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]));
    expect(byName.count?.int_value).toBe(42);
    expect(byName.ratio?.double_value).toBe(0.125);
    expect(byName.inputs?.string_value).toBe('mlmd-struct::CgsKA21zZxIEGgJoaQ==');
    expect(byName.flag?.bool_value).toBe(1);
    expect(rows.every((row) => row.is_custom_property === 1)).toBe(true);
  });

  it('keep SQLite storage classes MLMD can parse (INTEGER for int and bool, REAL for double)', () => {
    const file = newFile();
    const store = MetadataStore.open(file);
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      contextIds: [],
      customProperties: properties,
    });
    store.close();
    const db = new Database(file, { readonly: true });
    const types = db
      .prepare(
        'SELECT name, typeof(int_value) AS i, typeof(double_value) AS d, typeof(bool_value) AS b FROM ExecutionProperty WHERE execution_id = ? ORDER BY name',
      )
      .all(id);
    db.close();
    expect(types).toEqual([
      { name: 'count', i: 'integer', d: 'null', b: 'null' },
      { name: 'flag', i: 'null', d: 'null', b: 'integer' },
      { name: 'inputs', i: 'null', d: 'null', b: 'null' },
      { name: 'label', i: 'null', d: 'null', b: 'null' },
      { name: 'ratio', i: 'null', d: 'real', b: 'null' },
      { name: 'whole', i: 'null', d: 'real', b: 'null' },
    ]);
  });

  it('read back as written', () => {
    const store = MetadataStore.open(newFile());
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      contextIds: [],
      customProperties: properties,
    });
    expect(store.getExecution(id)?.customProperties).toEqual(properties);
    store.close();
  });

  it('are replaced whole when upserted with another kind', () => {
    const file = newFile();
    const store = MetadataStore.open(file);
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      contextIds: [],
      customProperties: { v: { string: 'text' } },
    });
    store.updateExecution(id, { customProperties: { v: { int: 7 } }, contextIds: [] });
    expect(store.getExecution(id)?.customProperties).toEqual({ v: { int: 7 } });
    store.close();
    const [row] = executionPropertyRows(file, id);
    expect(nonNullColumns(defined(row, 'a property row'))).toEqual(['int_value']);
  });

  it('refuse values MLMD could not read back', () => {
    const store = MetadataStore.open(newFile());
    const create = (customProperties: Properties) => () =>
      store.createExecution({ typeName: 'x', state: 'RUNNING', contextIds: [], customProperties });
    expect(create({ n: { int: 1.5 } })).toThrow("property 'n': int 1.5 is not a safe integer");
    expect(create({ n: { int: 2 ** 60 } })).toThrow(/not a safe integer/);
    expect(create({ n: { double: NaN } })).toThrow(/NaN reads back as NULL/);
    expect(create({ s: { string: 'mlmd-struct::abc' } })).toThrow(/would read back as a struct/);
    expect(create({ s: { struct: [1, 2] } })).toThrow(/holds a JSON object \(wrap a list as \{ list: \[\.\.\.\] \}\)/);
    // Each failed write rolled back whole.
    expect(store.getExecution(1)).toBeUndefined();
    store.close();
  });
});

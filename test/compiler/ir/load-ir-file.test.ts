import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IrFileError, loadIrFile } from '../../../compiler/ir/load-ir-file';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-load-ir-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function loadError(file: string): IrFileError {
  try {
    loadIrFile(file);
  } catch (error) {
    if (error instanceof IrFileError) return error;
    throw error;
  }
  throw new Error(`expected loadIrFile(${file}) to fail`);
}

const MINIMAL_PIPELINE_YAML = `pipelineInfo:
  name: p
root:
  dag:
    tasks: {}
schemaVersion: 2.1.0
`;

describe('loadIrFile: reading', () => {
  it('reads a YAML pipeline without a platform document', () => {
    const loaded = loadIrFile(write('plain.yaml', MINIMAL_PIPELINE_YAML));
    expect(loaded).toEqual({ spec: { pipelineInfo: { name: 'p' }, root: { dag: { tasks: {} } }, schemaVersion: '2.1.0' } });
    expect('platformSpec' in loaded).toBe(false);
  });

  it('reads the second, platform document', () => {
    const text = `${MINIMAL_PIPELINE_YAML}---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors: {}\n`;
    const loaded = loadIrFile(write('with-platform.yml', text));
    expect(loaded.platformSpec).toEqual({ platforms: { kubernetes: { deploymentSpec: { executors: {} } } } });
  });

  it('reads JSON, and ignores a byte-order mark', () => {
    const loaded = loadIrFile(write('p.json', '\uFEFF{"pipelineInfo": {"name": "p"}, "root": {}}'));
    expect(loaded.spec).toEqual({ pipelineInfo: { name: 'p' }, root: {} });
  });

  it('keeps date-like and yes/no-like YAML scalars as the strings they are', () => {
    const loaded = loadIrFile(write('dates.yaml', `pipelineInfo:\n  name: p\n  description: 2024-01-01\n  displayName: yes\nroot: {}\n`));
    expect(loaded.spec).toEqual({ pipelineInfo: { name: 'p', description: '2024-01-01', displayName: 'yes' }, root: {} });
  });

  it('ignores a trailing document separator', () => {
    const loaded = loadIrFile(write('trailing.yaml', `${MINIMAL_PIPELINE_YAML}---\n`));
    expect(loaded.platformSpec).toBeUndefined();
  });
});

describe('loadIrFile: errors', () => {
  it('reports a missing file', () => {
    const file = path.join(dir, 'nope.yaml');
    const error = loadError(file);
    expect(error.message).toBe(`${file}: file not found`);
    expect(error.file).toBe(file);
  });

  it('reports a directory', () => {
    fs.mkdirSync(path.join(dir, 'folder.yaml'));
    expect(loadError(path.join(dir, 'folder.yaml')).reason).toBe('is a directory, not an IR file');
  });

  it('reports an unsupported extension', () => {
    expect(loadError(write('pipeline.txt', MINIMAL_PIPELINE_YAML)).reason).toBe(
      "unsupported file type '.txt': expected a .json, .yaml or .yml file",
    );
  });

  it('reports bad YAML with line, column and the parser reason', () => {
    const file = write('bad.yaml', 'pipelineInfo:\n  name: p\nroot: [1,\n');
    const error = loadError(file);
    expect(error.reason).toMatch(/^invalid YAML: unexpected end of the stream within a flow collection/);
    expect([error.line, error.column]).toEqual([4, 1]);
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}:4:1: invalid YAML: `));
  });

  it('reports duplicate YAML keys', () => {
    const error = loadError(write('dup.yaml', 'pipelineInfo:\n  name: p\n  name: q\nroot: {}\n'));
    expect(error.reason).toBe('invalid YAML: duplicated mapping key');
    expect([error.line, error.column]).toEqual([3, 3]);
  });

  // V8's wording changes between Node versions; the location and the 'invalid JSON' prefix are what we own.
  it('reports bad JSON with line and column, also where V8 gives no position', () => {
    const trailingComma = loadError(write('comma.json', '{\n  "root": [1,\n  ]\n}\n'));
    expect(trailingComma.reason).toMatch(/^invalid JSON: \S/);
    expect(trailingComma.reason).not.toContain('is not valid JSON');
    expect([trailingComma.line, trailingComma.column]).toEqual([3, 3]);

    const missingComma = loadError(write('missing.json', '{\n  "root": {}\n  "pipelineInfo": {}\n}'));
    expect(missingComma.reason).toMatch(/^invalid JSON: \S/);
    expect(missingComma.reason).not.toContain('position');
    expect([missingComma.line, missingComma.column]).toEqual([3, 3]);

    const truncated = loadError(write('truncated.json', '{"root": {'));
    expect(truncated.message).toMatch(/truncated\.json:1:11: invalid JSON: \S/);
  });

  it.each([
    ['empty.yaml', ''],
    ['blank.json', ' \n'],
    ['comments.yaml', '# nothing compiled yet\n'],
  ])('reports an empty file (%s)', (name, text) => {
    expect(loadError(write(name, text)).reason).toBe('file is empty: expected a compiled PipelineSpec');
  });

  it('reports a document that is not a mapping', () => {
    expect(loadError(write('list.yaml', '- a\n- b\n')).reason).toBe(
      'the document is a list, not a mapping: expected a compiled PipelineSpec',
    );
    expect(loadError(write('scalar.json', '"pipeline"')).reason).toBe(
      'the document is the string "pipeline", not a mapping: expected a compiled PipelineSpec',
    );
  });

  it('recognises a single component spec and says what validate wants instead', () => {
    const error = loadError(write('component.yaml', 'executorLabel: exec-a\ninputDefinitions:\n  parameters: {}\n'));
    expect(error.reason).toBe(
      "this looks like a single component spec (top-level 'executorLabel'), not a pipeline: " +
        "kfp-ts validate wants a compiled pipeline with 'pipelineInfo' and 'root' (compile the component as a pipeline)",
    );
  });

  it('recognises a PipelineJob', () => {
    const error = loadError(write('job.json', '{"displayName": "x", "pipelineSpec": {}, "runtimeConfig": {}}'));
    expect(error.reason).toMatch(/^this looks like a PipelineJob \(top-level 'pipelineSpec'\), not a PipelineSpec/);
  });

  it('reports a mapping that is not a pipeline, with its keys', () => {
    expect(loadError(write('other.yaml', 'apiVersion: v1\nkind: Pod\n')).reason).toBe(
      "not a compiled pipeline: no 'pipelineInfo' or 'root' (top-level keys: apiVersion, kind)",
    );
  });

  it('reports more than two YAML documents', () => {
    const text = `${MINIMAL_PIPELINE_YAML}---\nplatforms: {}\n---\nplatforms: {}\n`;
    expect(loadError(write('three.yaml', text)).reason).toBe(
      "has 3 YAML documents; expected the PipelineSpec, optionally followed by one platform document ('platforms: …')",
    );
  });

  it('reports a second document that is not the platform config', () => {
    const notPlatforms = loadError(write('second.yaml', `${MINIMAL_PIPELINE_YAML}---\nplatform:\n  kubernetes: {}\n`));
    expect(notPlatforms.reason).toBe(
      "the second YAML document must be the platform config, a mapping with the single key 'platforms' (its keys: platform)",
    );
    const scalar = loadError(write('second-scalar.yaml', `${MINIMAL_PIPELINE_YAML}---\nhello\n`));
    expect(scalar.reason).toMatch(/\(it is the string "hello"\)$/);
    const badPlatform = loadError(write('second-list.yaml', `${MINIMAL_PIPELINE_YAML}---\nplatforms:\n  kubernetes: [1]\n`));
    expect(badPlatform.reason).toBe('platforms.kubernetes must be a mapping (it is a list)');
  });
});

describe('loadIrFile: resource bounds', () => {
  /** The campaign's case: a parameter default that nine levels of ten aliases expand to 10^9 strings. */
  const bombInDefault = (levels: number): string => {
    const anchors = [`&a0 "lol"`];
    for (let level = 1; level <= levels; level++)
      anchors.push(
        `&a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(', ')}]`,
      );
    return `components:\n  comp-x:\n    executorLabel: exec-x\n    inputDefinitions:\n      parameters:\n        p:\n          parameterType: LIST\n          defaultValue: [${anchors.join(', ')}]\n${MINIMAL_PIPELINE_YAML}`;
  };

  it('refuses a YAML alias bomb in a defaultValue, naming the file and the value', () => {
    const file = write('bomb.yaml', bombInDefault(9));
    const error = loadError(file);
    expect(error.message).toMatch(
      new RegExp(
        `^${escapeRegExp(file)}: components\\['comp-x'\\]\\.inputDefinitions\\.parameters\\.p\\.defaultValue\\[\\d+\\]: expands through YAML aliases to more than 33554432 values and characters \\(an alias bomb\\?\\) — write the values out`,
      ),
    );
  });

  it('accepts the same aliases while they expand to little', () => {
    expect(() => loadIrFile(write('small-aliases.yaml', bombInDefault(2)))).not.toThrow();
  });

  it('refuses a cyclic YAML alias', () => {
    const text = MINIMAL_PIPELINE_YAML.replace('tasks: {}', 'tasks: {}\n  outputs: &o {x: *o}');
    expect(loadError(write('cycle.yaml', text)).reason).toMatch(
      /^root\.outputs\.x: holds a YAML alias to a mapping or list that contains the alias/,
    );
  });

  it('refuses JSON nested deeper than any pipeline before the validator recurses into it', () => {
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    const text = `{"pipelineInfo": {"name": "p"}, "root": {"dag": {"tasks": {}}}, "x": ${deep}}`;
    const error = loadError(write('deep.json', text));
    expect(error.reason).toBe('nests deeper than 100 levels — flatten the value; no pipeline field nests this deep');
    expect([error.line, error.column]).toEqual([1, text.indexOf('[') + 101]);
  });

  it('refuses a file larger than 32 MiB without parsing it', () => {
    const file = path.join(dir, 'huge.json');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 33 * 1024 * 1024);
    expect(loadError(file).reason).toMatch(/^is larger than 32 MiB/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { pipelineHeaderComment, pythonSplitLines } from '../../../compiler/yaml/pipeline-header';

describe('pipelineHeaderComment', () => {
  it('writes only the title and name for a pipeline without description or signature', () => {
    expect(pipelineHeaderComment({ pipelineInfo: { name: 'p' }, root: {} })).toBe('# PIPELINE DEFINITION\n# Name: p\n');
  });

  it('continues a multi-line description under its first line, blank lines included', () => {
    const spec = { pipelineInfo: { name: 'p', description: 'First line.\n\nThird line.\r\nFourth.\n' } };
    expect(pipelineHeaderComment(spec)).toBe(
      '# PIPELINE DEFINITION\n# Name: p\n# Description: First line.\n' +
        `#${' '.repeat(14)}\n#${' '.repeat(14)}Third line.\n#${' '.repeat(14)}Fourth.\n`,
    );
  });

  it('takes the description from the options when given (components have none in pipelineInfo)', () => {
    expect(pipelineHeaderComment({ pipelineInfo: { name: 'c' } }, { description: 'Docstring.' })).toBe(
      '# PIPELINE DEFINITION\n# Name: c\n# Description: Docstring.\n',
    );
    expect(pipelineHeaderComment({ pipelineInfo: { name: 'c', description: 'x' } }, { description: '' })).toBe(
      '# PIPELINE DEFINITION\n# Name: c\n',
    );
  });

  it('keeps non-ASCII text as is, unlike the YAML body', () => {
    expect(pipelineHeaderComment({ pipelineInfo: { name: 'p', description: 'a \u2014 b' } })).toContain('# Description: a \u2014 b\n');
  });

  it('merges parameters and artifacts and sorts them by code point', () => {
    const spec = {
      pipelineInfo: { name: 'p' },
      root: {
        outputDefinitions: {
          artifacts: {
            out_dataset: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } },
            models: { artifactType: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' }, isArtifactList: true },
          },
          parameters: { Output: { parameterType: 'STRING' } },
        },
        inputDefinitions: {
          parameters: {
            status: { parameterType: 'TASK_FINAL_STATUS' },
            b: { parameterType: 'NUMBER_DOUBLE', isOptional: true },
            a: { parameterType: 'NUMBER_INTEGER' },
            c: { parameterType: 'BOOLEAN' },
            d: { parameterType: 'LIST' },
            e: { parameterType: 'STRUCT' },
          },
          artifacts: { Z: { artifactType: { schemaTitle: 'system.Artifact' } } },
        },
      },
    };
    expect(pipelineHeaderComment(spec)).toBe(
      [
        '# PIPELINE DEFINITION',
        '# Name: p',
        '# Inputs:',
        '#    Z: system.Artifact',
        '#    a: int',
        '#    b: float',
        '#    c: bool',
        '#    d: list',
        '#    e: dict',
        '#    status: PipelineTaskFinalStatus',
        '# Outputs:',
        '#    Output: str',
        '#    models: system.Model',
        '#    out_dataset: system.Dataset',
        '',
      ].join('\n'),
    );
  });

  it('prints defaults as Python prints the protobuf values', () => {
    const parameter = (parameterType: string, defaultValue: unknown) => ({ parameterType, defaultValue });
    const spec = {
      pipelineInfo: { name: 'p' },
      root: {
        inputDefinitions: {
          parameters: {
            a_int: parameter('NUMBER_INTEGER', 2),
            b_float: parameter('NUMBER_DOUBLE', 1e-5),
            c_big: parameter('NUMBER_DOUBLE', 1e16),
            d_bool: parameter('BOOLEAN', false),
            e_str: parameter('STRING', "it's \\n"),
            f_empty: parameter('STRING', ''),
            g_list: parameter('LIST', [1, 'a', true, null, "it's"]),
            h_dict: parameter('STRUCT', { b: 1, A: { x: [] } }),
            i_null: parameter('STRING', null),
          },
        },
      },
    };
    expect(pipelineHeaderComment(spec).split('\n').slice(3)).toEqual([
      '#    a_int: int [Default: 2.0]',
      '#    b_float: float [Default: 1e-05]',
      '#    c_big: float [Default: 1e+16]',
      '#    d_bool: bool [Default: False]',
      "#    e_str: str [Default: 'it's \\n']",
      "#    f_empty: str [Default: '']",
      `#    g_list: list [Default: [1.0, 'a', True, None, "it's"]]`,
      "#    h_dict: dict [Default: {'A': {'x': []}, 'b': 1.0}]",
      '#    i_null: str [Default: None]',
      '',
    ]);
  });

  it('writes the heading of an empty signature', () => {
    expect(pipelineHeaderComment({ pipelineInfo: { name: 'p' }, root: { inputDefinitions: {} } })).toBe(
      '# PIPELINE DEFINITION\n# Name: p\n# Inputs:\n',
    );
  });

  it('rejects a parameter type it cannot name', () => {
    const withType = (parameterType: string) => ({
      pipelineInfo: { name: 'p' },
      root: { inputDefinitions: { parameters: { x: { parameterType } } } },
    });
    expect(() => pipelineHeaderComment(withType('BYTES'))).toThrow('parameter x has no known parameterType (BYTES)');
    expect(() => pipelineHeaderComment(withType('constructor'))).toThrow('no known parameterType');
  });
});

describe('pythonSplitLines', () => {
  it('splits like str.splitlines()', () => {
    expect(pythonSplitLines('a\r\nb\rc\x0bd\x1ce\u2028f\n')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(pythonSplitLines('a\n\n')).toEqual(['a', '']);
    expect(pythonSplitLines('\n')).toEqual(['']);
    expect(pythonSplitLines('')).toEqual([]);
  });
});

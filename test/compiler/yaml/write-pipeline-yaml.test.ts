import { writePipelineYaml } from '../../../compiler/yaml/write-pipeline-yaml';

const spec = {
  pipelineInfo: { name: 'p' },
  root: {
    dag: {
      tasks: {
        t: {
          componentRef: { name: 'comp-t' },
          retryPolicy: { backoffDuration: '0s', backoffFactor: 2, maxRetryCount: 3 },
          taskInfo: { name: 't' },
        },
      },
    },
    inputDefinitions: { parameters: { n: { parameterType: 'NUMBER_INTEGER', defaultValue: 1 } } },
  },
  schemaVersion: '2.1.0',
  sdkVersion: 'kfp-2.15.2',
};

const body = [
  'pipelineInfo:',
  '  name: p',
  'root:',
  '  dag:',
  '    tasks:',
  '      t:',
  '        componentRef:',
  '          name: comp-t',
  '        retryPolicy:',
  '          backoffDuration: 0s',
  '          backoffFactor: 2.0',
  '          maxRetryCount: 3',
  '        taskInfo:',
  '          name: t',
  '  inputDefinitions:',
  '    parameters:',
  '      n:',
  '        defaultValue: 1.0',
  '        parameterType: NUMBER_INTEGER',
  'schemaVersion: 2.1.0',
  'sdkVersion: kfp-2.15.2',
  '',
].join('\n');

const header = '# PIPELINE DEFINITION\n# Name: p\n# Inputs:\n#    n: int [Default: 1.0]\n';

describe('writePipelineYaml', () => {
  it('writes the header, then the spec with IR number types', () => {
    expect(writePipelineYaml(spec)).toBe(header + body);
  });

  it('appends the platform document after ---', () => {
    const platformSpec = { platforms: { kubernetes: { pipelineConfig: { resourceTtl: 60 } } } };
    expect(writePipelineYaml(spec, platformSpec)).toBe(
      `${header}${body}---\nplatforms:\n  kubernetes:\n    pipelineConfig:\n      resourceTtl: 60\n`,
    );
  });

  it('leaves out a platform document without platforms, as the SDK does', () => {
    expect(writePipelineYaml(spec, { platforms: {} })).toBe(header + body);
  });

  it('passes a component’s description to the header', () => {
    expect(writePipelineYaml(spec, undefined, { description: 'Adds.' })).toBe(
      header.replace('# Inputs:', '# Description: Adds.\n# Inputs:') + body,
    );
  });
});

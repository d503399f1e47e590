/**
 * The typed wrapper `kfp-ts types` writes declares exactly the signature of the component it embeds:
 * checked at run time for every golden of the reference compiler (the wrapper's loader compares the
 * declared signature with the file and throws on any difference) and for hand-made edge cases.
 * Type-level behaviour is test/types/typed-component.typetest.ts's job.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as kfp from '../../../compiler';
import { generateTypedWrapper } from '../../../compiler/component-yaml/typed-wrapper';
import { goldensDir, listGoldenEntries } from '../../support/kfp-goldens';

/** Evaluates a wrapper's source with 'kfp-ts' resolved to this checkout, returning its exports. */
function evaluate(source: string): Record<string, unknown> {
  const { code } = esbuild.transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20' });
  const module = { exports: {} as Record<string, unknown> };
  const requireKfp = (specifier: string) => {
    if (specifier !== 'kfp-ts') throw new Error(`unexpected import ${specifier}`);
    return kfp;
  };
  new Function('require', 'module', 'exports', code)(requireKfp, module, module.exports);
  return module.exports;
}

function wrap(text: string, sourceName = 'component.yaml', exportName?: string) {
  return generateTypedWrapper({
    text,
    sourceName,
    regenerateCommand: `npx kfp-ts types ${sourceName}`,
    ...(exportName ? { exportName } : {}),
  });
}

describe('typed wrappers', () => {
  // Platform documents are out of kfp-ts's scope (the loader rejects them), as in the conformance run.
  const goldens = listGoldenEntries().filter((golden) => !golden.features.includes('platform-spec'));

  it.each(goldens.map((golden) => [golden.file]))('declare the exact signature of %s', (file) => {
    const text = fs.readFileSync(path.join(goldensDir(), file), 'utf8');
    const wrapper = wrap(text, path.basename(file));
    const component = evaluate(wrapper.text)[wrapper.exportName] as kfp.Component;
    const untyped = kfp.loadComponentFromText(text, path.basename(file));
    expect(component.definition.inputs).toEqual(untyped.definition.inputs);
    expect(component.definition.outputs).toEqual(untyped.definition.outputs);
  });

  it('write IR defaults, isOptional quirks, lists, structs and versioned artifact types exactly', () => {
    const spec = kfp.compilePipeline(
      kfp.containerComponent({
        name: 'edge cases',
        inputs: {
          tags: kfp.t.list<string>({ default: ['a', 'b'] }),
          config: kfp.t.struct({ default: { nested: { x: 1 } } }),
          strict: kfp.t.int({ default: 3, optional: false }),
          maybe: kfp.t.string({ optional: true }),
          'odd name': kfp.t.bool(),
          shards: kfp.t.artifactList(kfp.Dataset),
          custom: kfp.t.artifact(kfp.artifactType('acme.Corpus', '1.2.0'), { optional: true }),
        },
        outputs: { scores: kfp.t.artifactList(kfp.Metrics), summary: kfp.t.struct() },
        image: 'alpine',
      }),
    );
    const { text, exportName } = wrap(kfp.toPipelineYaml(spec), 'edge.yaml');
    expect(exportName).toBe('edgeCases');
    expect(text).toContain(
      [
        '  inputs: {',
        '    config: t.struct<{ [key: string]: JsonValue }>({ default: { nested: { x: 1 } } }),',
        '    maybe: t.string({ optional: true }),',
        "    'odd name': t.bool(),",
        '    strict: t.int({ default: 3, optional: false }),',
        "    tags: t.list<JsonValue>({ default: ['a', 'b'] }),",
        "    custom: t.artifact(artifactType('acme.Corpus', '1.2.0'), { optional: true }),",
        '    shards: t.artifactList(Dataset),',
        '  },',
        '  outputs: {',
        '    summary: t.struct(),',
        '    scores: t.artifactList(Metrics),',
        '  },',
      ].join('\n'),
    );
    const component = evaluate(text)['edgeCases'] as kfp.Component;
    expect(component.definition.inputs).toEqual(kfp.loadComponentFromText(kfp.toPipelineYaml(spec)).definition.inputs);
  });

  it('embed the text exactly: backslashes, backticks, ${ and CR survive', () => {
    const text =
      'name: Tricky `quote` ${HOME}\r\nimplementation:\r\n  container: {image: alpine, command: [sh, -c, "echo \\\\n `date` ${X}"]}\r\n';
    const wrapper = wrap(text);
    const component = evaluate(wrapper.text)[wrapper.exportName] as kfp.Component;
    expect(component.definition.name).toBe('Tricky `quote` ${HOME}');
    expect(component.definition.implementation).toMatchObject({ command: ['sh', '-c', 'echo \\n `date` ${X}'] });
    expect(wrapper.text).toContain('return `name: Tricky \\`quote\\` \\${HOME}\\r\n');
  });

  it('name the export after the component, avoiding reserved words and the names it imports', () => {
    const named = (name: string) => wrap(`name: '${name}'\nimplementation: {container: {image: alpine}}\n`).exportName;
    expect(named('Write to GCS')).toBe('writeToGcs');
    expect(named('consumer_op')).toBe('consumerOp');
    expect(named('3d render')).toBe('component3dRender');
    expect(named('delete')).toBe('deleteComponent');
    expect(named('T')).toBe('tComponent');
    expect(wrap('name: x\nimplementation: {container: {image: alpine}}\n', 'x.yaml', 'renamed').text).toContain('export const renamed =');
  });

  it('fail to load when edited to declare something the text does not say', () => {
    const text = fs.readFileSync(path.join(goldensDir(), 'pipelines/two_step_pipeline.yaml'), 'utf8');
    const wrapper = wrap(text, 'two_step_pipeline.yaml');
    expect(wrapper.text).toContain("text: t.string({ default: 'Hello KFP!' }),");
    const edited = wrapper.text.replace("text: t.string({ default: 'Hello KFP!' }),", 'text: t.string(),');
    expect(() => evaluate(edited)).toThrow(
      'two_step_pipeline.yaml: the declared signature does not match the component: input \'text\' is a STRING parameter (optional, default "Hello KFP!") in the component but declared as a STRING parameter (required)',
    );
  });

  it('are the same bytes every time', () => {
    const text = fs.readFileSync(path.join(goldensDir(), 'pipelines/two_step_pipeline.yaml'), 'utf8');
    expect(wrap(text).text).toBe(wrap(text).text);
  });
});

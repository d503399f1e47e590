/**
 * Byte-level conformance of the YAML writer: every golden file, parsed and written again, must come out identical.
 *
 * The documents are loaded with js-yaml's JSON schema, so a scalar is a string unless it is JSON-like (no YAML 1.1
 * dates, octals or yes/no words), which is what the reference compiler's dicts held.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

import { writePipelineYaml } from '../../../compiler/yaml/write-pipeline-yaml';
import { goldensDir, listGoldenEntries } from '../../support/kfp-goldens';

const GOLDENS_DIR = goldensDir();

/**
 * A component compiled as a pipeline gets its docstring in the header but not in `pipelineInfo`, so the golden's
 * own header is the only place the description can come from.
 */
function headerDescription(text: string): string | undefined {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.startsWith('# Description: '));
  if (first < 0) return undefined;
  const parts = [(lines[first] as string).slice('# Description: '.length)];
  for (let i = first + 1; (lines[i] as string).startsWith(`#${' '.repeat(14)}`); i++) {
    parts.push((lines[i] as string).slice(15));
  }
  return parts.join('\n');
}

const goldens = listGoldenEntries()
  .map((entry) => path.join(GOLDENS_DIR, entry.file))
  .sort();

describe('golden YAML round trip', () => {
  it('finds all 138 goldens', () => {
    expect(goldens).toHaveLength(138);
  });

  const descriptionsFromHeader: string[] = [];

  it.each(goldens.map((file) => [path.relative(GOLDENS_DIR, file), file]))('%s', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const [spec, platformSpec, ...rest] = yaml.loadAll(text, undefined, { schema: yaml.JSON_SCHEMA }) as Array<Record<string, unknown>>;
    expect(rest).toHaveLength(0);
    const pipelineInfo = (spec as { pipelineInfo: { description?: string } }).pipelineInfo;
    const description = pipelineInfo.description === undefined ? headerDescription(text) : undefined;
    if (description !== undefined) descriptionsFromHeader.push(path.relative(GOLDENS_DIR, file));

    const written = writePipelineYaml(spec as object, platformSpec, description === undefined ? {} : { description });

    expect(written).toBe(text);
  });

  it('needs an outside description only for components compiled as pipelines', () => {
    expect(descriptionsFromHeader.sort()).toEqual([
      'components/component_with_metadata_fields.yaml',
      'components/output_metrics.yaml',
      'components/preprocess.yaml',
    ]);
  });
});

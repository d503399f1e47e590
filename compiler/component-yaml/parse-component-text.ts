import { ComponentLoadError } from './component-load-error';
import { isIrDocument, parseIrComponent } from './ir-component';
import type { ParsedComponent } from './parsed-component';
import { parseYamlWithLines } from './parse-yaml-with-lines';
import { isV1Component, parseV1Component } from './v1-component';

/**
 * Reads a component file's text: KFP v1 component YAML, or compiled KFP v2 IR (YAML or JSON). Tells
 * them apart as the reference SDK does: a v1 component has `implementation`.
 */
export function parseComponentText(text: string, source: string): ParsedComponent {
  const { documents, lineOf } = parseYamlWithLines(text, source);
  const document = documents[0];
  if (document === undefined || document === null) {
    throw new ComponentLoadError(source, 'the file is empty', 'load a KFP v1 component YAML or a compiled component (IR YAML or JSON)');
  }
  if (isV1Component(document)) {
    if (documents.length > 1) {
      throw new ComponentLoadError(
        source,
        `holds ${documents.length} YAML documents; a v1 component is one`,
        'keep one component per file (remove the --- separators)',
      );
    }
    return parseV1Component(document, source, lineOf);
  }
  if (isIrDocument(document)) {
    if (documents.length > 1) {
      throw new ComponentLoadError(
        source,
        'has a second YAML document (a platform config: Kubernetes settings), which kfp-ts does not use',
        'remove the second document, or compile the component without kfp-kubernetes settings',
        lineOf(documents[1]),
      );
    }
    return parseIrComponent(document, source, lineOf);
  }
  const job = typeof document === 'object' && 'pipelineSpec' in document;
  throw new ComponentLoadError(
    source,
    job
      ? 'is a pipeline job (it wraps a pipelineSpec), not a component'
      : "is neither a KFP v1 component (it has no 'implementation') nor compiled KFP IR (it has no 'pipelineInfo' and 'root')",
    job
      ? 'save the pipelineSpec field on its own and load that file'
      : 'load a KFP v1 component YAML (name, inputs, outputs, implementation: {container: …}) or a component compiled by the KFP SDK or kfp-ts',
  );
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileToYaml, type Component } from '../../compiler';
import { isComponent } from '../../compiler/dsl/component';
import { firstDifference } from './compare';
import { outOfScopeReason, outputRoot, parseIrDocuments, portPath, readGoldenText, type Golden } from './goldens';

export type GoldenResult =
  | { readonly status: 'match'; readonly bytesMatch: boolean; readonly byteDifference?: string }
  | { readonly status: 'differs'; readonly difference: string }
  | { readonly status: 'not-ported'; readonly reason: string }
  | { readonly status: 'error'; readonly message: string };

/** What the port of a golden exports: the pipeline or component, and why it could not be ported. */
interface PortModule {
  readonly default?: Component<any, any>;
  readonly notPortable?: string;
}

/**
 * Compiles a golden's port, writes it to `test/conformance/out/<golden path>`, and compares it with
 * the golden: first as parsed documents (the IR gate), then byte for byte (the YAML writer gate).
 */
export function checkGolden(golden: Golden): GoldenResult {
  const port = portPath(golden);
  const scopeReason = outOfScopeReason(golden);
  if (!fs.existsSync(port)) return { status: 'not-ported', reason: scopeReason ?? 'no port yet' };
  let yaml: string;
  try {
    const module = require(port) as PortModule;
    if (module.notPortable) return { status: 'not-ported', reason: module.notPortable };
    if (!isComponent(module.default)) return { status: 'error', message: `${port} has no default export of a pipeline or component` };
    yaml = compileToYaml(module.default, { sdkVersion: 'kfp-2.15.2' });
  } catch (error) {
    return { status: 'error', message: (error as Error).message };
  }
  const out = path.join(outputRoot, golden.file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, yaml);

  const expectedText = readGoldenText(golden);
  const expected = parseIrDocuments(expectedText);
  const actual = parseIrDocuments(yaml);
  const difference = firstDifference(expected[0], actual[0]);
  if (difference) return { status: 'differs', difference };
  if (expected.length > 1) return { status: 'differs', difference: 'the golden has a platform document; ours has none' };
  if (yaml === expectedText) return { status: 'match', bytesMatch: true };
  return { status: 'match', bytesMatch: false, byteDifference: firstDifferingLine(expectedText, yaml) };
}

function firstDifferingLine(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const index = a.findIndex((line, i) => line !== b[i]);
  return `line ${index + 1}: expected ${JSON.stringify(a[index])}, got ${JSON.stringify(b[index])}`;
}

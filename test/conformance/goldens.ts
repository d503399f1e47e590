import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

import { goldensDir, listGoldenEntries, type GoldenEntry } from '../support/kfp-goldens';

/** The reference compiler's output (KFP SDK 2.15.2), shared by every developer and CI. */
export const goldensRoot = goldensDir();
export const portsRoot = path.join(__dirname, 'ports');
export const outputRoot = path.join(__dirname, 'out');

export type Golden = GoldenEntry;

/** Features kfp-ts does not compile, with the reason. */
export const featuresOutOfScope: Readonly<Record<string, string>> = {
  'platform-spec':
    'Kubernetes-only platform settings (kfp-kubernetes: PVCs, secrets, config maps, node selectors, …), which Vertex AI does not use',
};

export const listGoldens = listGoldenEntries;

/** Why a golden is out of scope, or undefined when the compiler must reproduce it. */
export function outOfScopeReason(golden: Golden): string | undefined {
  const feature = golden.features.find((f) => f in featuresOutOfScope);
  return feature === undefined ? undefined : `${feature}: ${featuresOutOfScope[feature]}`;
}

export function readGoldenText(golden: Golden): string {
  return fs.readFileSync(path.join(goldensRoot, golden.file), 'utf8');
}

/** All YAML documents of an IR file, with strings kept as strings. */
export function parseIrDocuments(text: string): unknown[] {
  return yaml.loadAll(text, undefined, { schema: yaml.JSON_SCHEMA });
}

export function portPath(golden: Golden): string {
  return path.join(portsRoot, golden.file.replace(/\.yaml$/, '.ts'));
}

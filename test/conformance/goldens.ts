import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

import { goldensDir, listGoldenEntries, type GoldenEntry } from '../support/kfp-goldens';

/** The reference compiler's output (KFP SDK 2.15.2), shared by every developer and CI. */
export const goldensRoot = goldensDir();
export const portsRoot = path.join(__dirname, 'ports');
export const outputRoot = path.join(__dirname, 'out');

export type Golden = GoldenEntry;

/** Features the compiler does not cover yet, with the issue that brings them. */
export const featuresOutOfScope: Readonly<Record<string, string>> = {
  condition: 'control flow (If/Elif/Else) comes with the control-flow issue',
  'parallelfor-params': 'ParallelFor comes with the control-flow issue',
  'parallelfor-artifacts': 'ParallelFor comes with the control-flow issue',
  'exit-handler/ignore-upstream-failure': 'exit handlers come with the control-flow issue',
  oneof: 'OneOf comes with the control-flow issue',
  'task-final-status': 'PipelineTaskFinalStatus comes with the control-flow issue',
  'platform-spec': 'Kubernetes-only platform settings, which Vertex AI does not use',
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

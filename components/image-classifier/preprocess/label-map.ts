/**
 * `label_map.json`: `{ "0": "circle", "1": "square", … }`, class index → class name, with the
 * names sorted by code point so the same classes always get the same indices. Indices are 0-based
 * (what a K-way softmax wants), unlike Inception's build_image_data.py, which starts at 1.
 */
import * as fs from 'node:fs';

export const LABEL_MAP_FILE = 'label_map.json';

/** Distinct class names, sorted by code point (not locale), so every machine agrees. */
export function sortedClasses(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function labelMapJson(classes: readonly string[]): string {
  return `${JSON.stringify(Object.fromEntries(classes.map((name, index) => [String(index), name])), null, 2)}\n`;
}

/** Reads a label map back as the class names in index order; errors say what is wrong with the file. */
export function readLabelMap(file: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read label map ${file}: ${error instanceof Error ? error.message : String(error)}; it is written by the preprocess step as ${LABEL_MAP_FILE}.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`label map ${file} must be a JSON object {"0": "class name", …}.`);
  const entries = Object.entries(parsed as Record<string, unknown>);
  const classes: string[] = [];
  for (const [key, name] of entries) {
    const index = Number(key);
    if (String(index) !== key || index >= entries.length || typeof name !== 'string') {
      throw new Error(
        `label map ${file}: entry ${JSON.stringify(key)}: ${JSON.stringify(name)} is not "index": "class name" with an index in 0..${entries.length - 1}.`,
      );
    }
    classes[index] = name;
  }
  return classes;
}

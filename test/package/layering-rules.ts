/**
 * The dependency rules between the repository's folders, read from the table under
 * "## Dependency rules" in ARCHITECTURE.md, and the check of every source file's imports against
 * them. The page is the single statement of the rules, so the page and the test cannot drift.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Each folder of the table, and the folders its sources may load besides their own ('*': any). */
export type LayeringRules = ReadonlyMap<string, readonly string[] | '*'>;

export class LayeringRulesError extends Error {
  override readonly name = 'LayeringRulesError';
}

const HEADING = '## Dependency rules';
/** The cell that lets a folder load every other folder (tools on top: benchmarks, tests). */
const ANY_FOLDER = 'any folder';
/** The cell of a folder that loads no other folder. */
const NOTHING = 'nothing';

/** `` `compiler/` `` → `compiler`; undefined for a cell that is not one backticked folder. */
function folderName(code: string): string | undefined {
  const match = /^([a-z0-9][-a-z0-9]*(?:\/[a-z0-9][-a-z0-9]*)*)\/$/.exec(code);
  return match?.[1];
}

/** Parses the table; throws LayeringRulesError naming the line of a row it cannot read. */
export function parseLayeringRules(markdown: string, source = 'ARCHITECTURE.md'): LayeringRules {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === HEADING);
  if (start < 0) throw new LayeringRulesError(`${source}: no '${HEADING}' section; the layering test reads its table`);
  const rules = new Map<string, readonly string[] | '*'>();
  let inTable = false;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line.startsWith('## ')) break;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    const cells = line
      .slice(1, line.endsWith('|') ? -1 : undefined)
      .split('|')
      .map((cell) => cell.trim());
    if (!inTable) {
      inTable = true; // the header row
      continue;
    }
    if (/^:?-+:?$/.test(cells[0] ?? '')) continue; // the separator row
    const where = `${source}:${index + 1}`;
    const folder = folderName(/^`([^`]+)`$/.exec(cells[0] ?? '')?.[1] ?? '');
    if (folder === undefined)
      throw new LayeringRulesError(`${where}: the first cell must be one folder in backticks, like \`runner/\`; got '${cells[0]}'`);
    if (rules.has(folder)) throw new LayeringRulesError(`${where}: '${folder}/' has a second row`);
    rules.set(folder, parseMayLoad(cells[1] ?? '', where));
  }
  if (rules.size === 0) throw new LayeringRulesError(`${source}: the '${HEADING}' section has no table`);
  return rules;
}

function parseMayLoad(cell: string, where: string): readonly string[] | '*' {
  if (cell === ANY_FOLDER) return '*';
  if (cell === NOTHING) return [];
  const folders = [...cell.matchAll(/`([^`]+)`/g)].map(([, code]) => folderName(code!));
  const rest = cell.replace(/`[^`]+`/g, '').replace(/[,\s]/g, '');
  if (folders.length === 0 || folders.includes(undefined) || rest !== '') {
    throw new LayeringRulesError(
      `${where}: the second cell must be '${NOTHING}', '${ANY_FOLDER}' or folders in backticks separated by commas, like \`compiler/\`, \`runner/\`; got '${cell}'`,
    );
  }
  return folders as string[];
}

/** The table's folder a repository path lies in (the longest that contains it), or its first segment. */
export function folderOf(rules: LayeringRules, file: string): string {
  let best: string | undefined;
  for (const folder of rules.keys()) {
    if ((file === folder || file.startsWith(`${folder}/`)) && (best === undefined || folder.length > best.length)) best = folder;
  }
  return best ?? file.split('/')[0]!;
}

// `import … from`, `export … from`, side-effect `import '…'`, `require(…)` and `import(…)`.
const SPECIFIER = /(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)['"]([^'"\n]+)['"]/g;
/** Bare specifiers that name a folder of this repository (its workspace packages). */
const WORKSPACE_PACKAGES: Readonly<Record<string, string>> = { '@kfp-ts/image-classifier': 'components/image-classifier' };
const SKIPPED = new Set(['node_modules', 'dist', 'test-output', '.git']);

function sourceFiles(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name)) found.push(child);
    }
  };
  walk(folder);
  return found;
}

/** The repository path a specifier in `file` points to, or undefined for an npm package or a Node module. */
function targetOf(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('./') || specifier.startsWith('../'))
    return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  const workspace = Object.keys(WORKSPACE_PACKAGES).find((name) => specifier === name || specifier.startsWith(`${name}/`));
  return workspace === undefined ? undefined : WORKSPACE_PACKAGES[workspace] + specifier.slice(workspace.length);
}

/** Every import that loads a folder its file's folder may not, as `file: specifier (from → to)`. */
export function layeringViolations(root: string, rules: LayeringRules): string[] {
  const violations: string[] = [];
  for (const [folder, mayLoad] of rules) {
    if (mayLoad === '*') continue;
    for (const file of sourceFiles(root, folder)) {
      if (folderOf(rules, file) !== folder) continue; // a sub-folder with a row of its own
      for (const [, specifier] of fs.readFileSync(path.join(root, file), 'utf8').matchAll(SPECIFIER)) {
        const target = targetOf(file, specifier!);
        if (target === undefined) continue;
        const targetFolder = folderOf(rules, target);
        if (targetFolder !== folder && !mayLoad.includes(targetFolder))
          violations.push(`${file}: '${specifier}' (${folder}/ may not load ${targetFolder}/)`);
      }
    }
  }
  return violations.sort();
}

/** Top-level folders holding sources that no row of the table covers (a new folder needs its row). */
export function foldersWithoutRules(root: string, rules: LayeringRules): string[] {
  const uncovered: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || SKIPPED.has(entry.name) || entry.name.startsWith('.')) continue;
    const files = sourceFiles(root, entry.name);
    const first = files.find((file) => !rules.has(folderOf(rules, file)));
    if (first !== undefined) uncovered.push(`${first} (in no folder of the table)`);
  }
  return uncovered.sort();
}

/**
 * cloudbuild.yaml as data: its steps, the substitutions it uses, the order Cloud Build runs the
 * steps in, and a step's command with the substitutions filled in, so tests can run a step the
 * way Cloud Build would (from the repository root, which is /workspace there).
 */
import * as fs from 'node:fs';
import * as yaml from 'js-yaml';

export interface BuildStep {
  readonly id?: string;
  readonly name: string;
  readonly entrypoint?: string;
  readonly args?: readonly string[];
  readonly env?: readonly string[];
  readonly waitFor?: readonly string[];
}

export interface BuildConfig {
  readonly steps: readonly BuildStep[];
  readonly substitutions?: Readonly<Record<string, string>>;
  readonly images?: readonly string[];
  readonly [field: string]: unknown;
}

/** Substitutions Cloud Build defines itself (cloud.google.com/build/docs/configuring-builds/substitute-variable-values). */
export const BUILT_IN_SUBSTITUTIONS: ReadonlySet<string> = new Set([
  'PROJECT_ID',
  'PROJECT_NUMBER',
  'BUILD_ID',
  'LOCATION',
  'TRIGGER_NAME',
  'TRIGGER_BUILD_CONFIG_PATH',
  'COMMIT_SHA',
  'REVISION_ID',
  'SHORT_SHA',
  'REPO_NAME',
  'REPO_FULL_NAME',
  'BRANCH_NAME',
  'TAG_NAME',
  'REF_NAME',
  'SERVICE_ACCOUNT_EMAIL',
  'SERVICE_ACCOUNT',
  '_HEAD_BRANCH',
  '_BASE_BRANCH',
  '_HEAD_REPO_URL',
  '_PR_NUMBER',
]);

// `$$` is a literal dollar; `$NAME` and `${NAME}` are substitutions.
const SUBSTITUTION = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** What a trigger on pushes to main would fill in: the file's defaults and sample settings. */
export function triggerValues(config: BuildConfig): Record<string, string> {
  return {
    ...config.substitutions,
    PROJECT_ID: 'my-project',
    BUILD_ID: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
    COMMIT_SHA: '3f2c1ab9d0e4c5b6a7f8e9d0c1b2a3f4e5d6c7b8',
    SHORT_SHA: '3f2c1ab',
    _BUCKET: 'my-bucket',
    _SERVICE_ACCOUNT: 'pipelines@my-project.iam.gserviceaccount.com',
    _MANIFEST: 'gs://my-bucket/images/manifest.csv',
  };
}

export function loadBuildConfig(file: string): BuildConfig {
  return yaml.load(fs.readFileSync(file, 'utf8')) as BuildConfig;
}

/** Every string in the config, wherever it is (Cloud Build substitutes in all of them). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

export function substitutionsUsed(config: BuildConfig): Set<string> {
  const used = new Set<string>();
  for (const text of strings({ ...config, substitutions: undefined })) {
    for (const match of text.matchAll(SUBSTITUTION)) {
      const name = match[1] ?? match[2];
      if (name !== undefined) used.add(name);
    }
  }
  return used;
}

/** `text` as Cloud Build passes it to the step: substitutions filled in, `$$` made `$`. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(SUBSTITUTION, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare;
    if (name === undefined) return '$';
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the substitution ${name} in '${whole}'`);
    return value;
  });
}

export function stepById(config: BuildConfig, id: string): BuildStep {
  const step = config.steps.find((s) => s.id === id);
  if (!step) throw new Error(`cloudbuild.yaml has no step '${id}'`);
  return step;
}

/**
 * The steps each step waits for, directly or through others: those in `waitFor`, or every
 * earlier step when it has none (`-` means none at all).
 */
export function stepPrerequisites(config: BuildConfig): Map<string, Set<string>> {
  const direct = new Map<string, readonly string[]>();
  config.steps.forEach((step, index) => {
    const earlier = config.steps.slice(0, index).map((s, i) => s.id ?? `#${i}`);
    direct.set(step.id ?? `#${index}`, step.waitFor === undefined ? earlier : step.waitFor.filter((id) => id !== '-'));
  });
  const closed = new Map<string, Set<string>>();
  const close = (id: string): Set<string> => {
    const known = closed.get(id);
    if (known) return known;
    const all = new Set<string>();
    closed.set(id, all);
    for (const before of direct.get(id) ?? []) {
      all.add(before);
      for (const transitive of close(before)) all.add(transitive);
    }
    return all;
  };
  for (const id of direct.keys()) close(id);
  return closed;
}

export interface StepCommand {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The process a step runs, for a step whose image's entrypoint is given (as ours are). */
export function stepCommand(step: BuildStep, values: Readonly<Record<string, string>>): StepCommand {
  if (step.entrypoint === undefined) throw new Error(`step '${step.id}' names no entrypoint, so its command depends on the image`);
  const env: Record<string, string> = {};
  for (const entry of step.env ?? []) {
    const [name, ...rest] = substitute(entry, values).split('=');
    env[name!] = rest.join('=');
  }
  return { argv: [step.entrypoint, ...(step.args ?? []).map((arg) => substitute(arg, values))], env };
}

/**
 * The commands of a `bash -c <script>` step, substitutions filled in: one per logical line (lines
 * ending in `\` joined, blank lines dropped), each split into words as the shell splits them, with
 * quotes removed but nothing expanded (`"$${image:?…}"` gives the word `${image:?…}`).
 */
export function scriptCommands(step: BuildStep, values: Readonly<Record<string, string>>): string[][] {
  const { argv } = stepCommand(step, values);
  if (argv[0] !== 'bash' || argv[1] !== '-c' || argv[2] === undefined) throw new Error(`step '${step.id}' is not a bash -c script`);
  return argv[2]
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(shellWords);
}

function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (char === "'" || char === '"') {
      const end = line.indexOf(char, index + 1);
      if (end < 0) throw new Error(`unterminated ${char} in: ${line}`);
      word = (word ?? '') + line.slice(index + 1, end);
      index = end;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The value of `--name VALUE` or `--name=VALUE` in an argument list. */
export function optionValue(argv: readonly string[], name: string): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === name) return argv[index + 1];
    if (argv[index]!.startsWith(`${name}=`)) return argv[index]!.slice(name.length + 1);
  }
  return undefined;
}

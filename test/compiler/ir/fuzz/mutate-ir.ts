/**
 * Seeded structural mutations of valid IR documents, written out as the file `kfp-ts validate`
 * would read (YAML or JSON text). Each case applies one to three mutations to a fresh copy of a
 * seed, so a failure is reproduced from (seed document, case seed) alone.
 */
import * as yaml from 'js-yaml';
import { DOCUMENT_LIMITS } from '../../../../compiler/util/document-limits';
import type { Random } from './random';
import { PROTOTYPE_NAMES, nameMaps, referenceSlots } from './ir-slots';

/** An arbitrary, possibly mutated, document. */
type Json = any;

export interface FuzzCase {
  readonly seedName: string;
  readonly mutations: readonly string[];
  readonly extension: '.yaml' | '.json';
  readonly text: string;
}

const BOMB = '__KFP_TS_FUZZ_BOMB__';

/** How large the big mutations get: 1 for the bench, less for a quick test. */
export interface CaseScale {
  readonly scale: number;
}

type Mutation = (doc: Json, random: Random, size: CaseScale) => string;

const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets an own property, `__proto__` included (plain assignment would replace the prototype instead). */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Every mapping and list in the document with the way to replace one of its values. */
function containers(doc: Json): (Record<string, unknown> | unknown[])[] {
  const found: (Record<string, unknown> | unknown[])[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 40 || typeof value !== 'object' || value === null) return;
    found.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) walk(child, depth + 1);
  };
  walk(doc, 0);
  return found;
}

function randomValue(random: Random): unknown {
  return random.pick<() => unknown>([
    () => random.int(-5, 1e6),
    () => random.next() * 1e300,
    () => 'x',
    () => null,
    () => true,
    () => [],
    () => ({}),
    () => [1, 'two', null],
    () => ({ name: random.pick(PROTOTYPE_NAMES) }),
  ])();
}

function randomName(random: Random, existing: readonly string[]): string {
  return random.pick<() => string>([
    () => random.pick(PROTOTYPE_NAMES),
    () => (existing.length > 0 ? typo(random.pick(existing), random) : 'missing'),
    () => `does-not-exist-${random.int(0, 99)}`,
    () => '',
    () => 'n'.repeat(random.int(65, 40_000)),
  ])();
}

function typo(name: string, random: Random): string {
  if (name.length < 2) return `${name}x`;
  const at = random.int(0, name.length - 1);
  return name.slice(0, at) + name.slice(at + 1);
}

function nested(depth: number, random: Random): unknown {
  let value: unknown = 'leaf';
  const asList = random.chance(0.5);
  for (let i = 0; i < depth; i++) value = asList ? [value] : { k: value };
  return value;
}

const mutations: Readonly<Record<string, Mutation>> = {
  deleteKey(doc, random) {
    const target = random.pick(containers(doc));
    const keys = Object.keys(target);
    if (keys.length === 0) return 'deleteKey (nothing)';
    const key = random.pick(keys);
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
    return `deleteKey ${key}`;
  },
  duplicateKey(doc, random) {
    const maps = nameMaps(doc).filter((map) => Object.keys(map).length > 0);
    if (maps.length === 0) return 'duplicateKey (nothing)';
    const map = random.pick(maps);
    const from = random.pick(Object.keys(map));
    const to = randomName(random, Object.keys(map));
    // Shared, not cloned: a value may nest too deep to clone recursively; the writers copy it out anyway.
    setOwn(map, to, map[from]);
    return `duplicateKey ${from} -> ${to.slice(0, 20)}`;
  },
  retypeValue(doc, random) {
    const target = random.pick(containers(doc));
    const keys = Object.keys(target);
    if (keys.length === 0) return 'retypeValue (nothing)';
    const key = random.pick(keys);
    (target as Record<string, unknown>)[key] = randomValue(random);
    return `retypeValue ${key}`;
  },
  prototypeName(doc, random) {
    const name = random.pick(PROTOTYPE_NAMES);
    const slots = referenceSlots(doc);
    if (slots.length > 0 && random.chance(0.6)) {
      const slot = random.pick(slots);
      slot.holder[slot.field] = name;
      // Sometimes define it too, so a resolving prototype name is exercised as well as a dangling one.
      if (slot.target && random.chance(0.3) && Object.keys(slot.target).length > 0)
        setOwn(slot.target, name, slot.target[random.pick(Object.keys(slot.target))]);
      return `prototypeName reference ${name}`;
    }
    const maps = nameMaps(doc).filter((map) => Object.keys(map).length > 0);
    if (maps.length === 0) return 'prototypeName (nothing)';
    const map = random.pick(maps);
    const from = random.pick(Object.keys(map));
    setOwn(map, name, map[from]);
    delete map[from];
    return `prototypeName key ${from} -> ${name}`;
  },
  hugeString(doc, random, size) {
    const length = Math.round(random.int(30_000, 300_000) * size.scale);
    const slots = referenceSlots(doc);
    if (slots.length > 0 && random.chance(0.5)) {
      // A long name defined beside a reference to a slightly different long name: the "did you mean" worst case.
      const slot = random.pick(slots);
      const long = 'a'.repeat(length);
      slot.holder[slot.field] = `${long}b`;
      if (slot.target) setOwn(slot.target, long, {});
      return `hugeString name ${length}`;
    }
    const target = random.pick(containers(doc));
    const keys = Object.keys(target);
    if (keys.length === 0) return 'hugeString (nothing)';
    const key = random.pick(keys);
    (target as Record<string, unknown>)[key] = 'y'.repeat(length);
    return `hugeString value ${key} ${length}`;
  },
  deepNesting(doc, random) {
    const target = random.pick(containers(doc));
    const keys = Object.keys(target);
    if (keys.length === 0) return 'deepNesting (nothing)';
    const depth = random.pick([50, 99, 150, 2000]);
    (target as Record<string, unknown>)[random.pick(keys)] = nested(depth, random);
    return `deepNesting ${depth}`;
  },
  aliasBomb(doc, random) {
    const defaults = containers(doc).filter((c) => isObject(c) && 'parameterType' in c);
    const holder: Record<string, unknown> = defaults.length > 0 ? (random.pick(defaults) as Record<string, unknown>) : doc;
    holder[defaults.length > 0 ? 'defaultValue' : 'x'] = BOMB;
    return 'aliasBomb';
  },
  numberForString(doc, random) {
    const strings = containers(doc).flatMap((c) =>
      Object.keys(c)
        .filter((k) => typeof (c as any)[k] === 'string')
        .map((k) => [c, k] as const),
    );
    if (strings.length === 0) return 'numberForString (nothing)';
    const [holder, key] = random.pick(strings);
    (holder as any)[key] = random.pick([0, 1, -1, 3.5, 1e21]);
    return `numberForString ${key}`;
  },
  cycle(doc, random) {
    const dags = containers(doc)
      .filter(isObject)
      .filter((c) => isObject(c['tasks']) && Object.keys(c['tasks']).length > 0);
    if (dags.length === 0) return 'cycle (nothing)';
    const tasks = random.pick(dags)['tasks'] as Record<string, any>;
    const names = Object.keys(tasks);
    const a = random.pick(names);
    const b = random.pick(names);
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      if (!isObject(tasks[from])) continue;
      const existing = Array.isArray(tasks[from].dependentTasks) ? tasks[from].dependentTasks : [];
      tasks[from].dependentTasks = [...existing, to];
    }
    return `cycle ${a} <-> ${b}`;
  },
  danglingReference(doc, random) {
    const slots = referenceSlots(doc);
    if (slots.length === 0) return 'danglingReference (nothing)';
    const slot = random.pick(slots);
    slot.holder[slot.field] = randomName(random, slot.target ? Object.keys(slot.target) : []);
    return `danglingReference ${String(slot.field)}`;
  },
  emptyDag(doc, random) {
    const dags = containers(doc)
      .filter(isObject)
      .filter((c) => isObject(c['dag']));
    if (dags.length === 0) return 'emptyDag (nothing)';
    const owner = random.pick(dags);
    owner['dag'] = random.pick([{}, { tasks: {} }, { outputs: owner['dag'].outputs ?? {} }]);
    return 'emptyDag';
  },
  wideDag(doc, random, size) {
    const tasks = doc?.root?.dag?.tasks;
    if (!isObject(tasks) || Object.keys(tasks).length === 0) return 'wideDag (nothing)';
    const template = tasks[random.pick(Object.keys(tasks))];
    const count = Math.round(random.int(500, 3000) * size.scale);
    for (let i = 0; i < count; i++) {
      tasks[`wide-${i}`] = isObject(template) ? { ...template, dependentTasks: [`missing-${i}`] } : template;
    }
    return `wideDag ${count}`;
  },
};

export const MUTATION_NAMES = Object.keys(mutations);

/** `levels` anchors of `fanOut` aliases each: fanOut^levels values, or a cycle, written in YAML flow style. */
function aliasBombText(random: Random): string {
  if (random.chance(0.2)) return '&cyc [1, *cyc]';
  const levels = random.int(5, 10);
  const fanOut = random.int(6, 12);
  const anchors = [random.chance(0.5) ? '&b0 "lol"' : `&b0 "${'z'.repeat(10_000)}"`];
  for (let level = 1; level <= levels; level++)
    anchors.push(
      `&b${level} [${Array(fanOut)
        .fill(`*b${level - 1}`)
        .join(', ')}]`,
    );
  return `[${anchors.join(', ')}]`;
}

/** One case: a seed document copied, mutated and written out. */
export function makeCase(seeds: readonly { name: string; doc: unknown }[], random: Random, size: CaseScale = { scale: 1 }): FuzzCase {
  const seed = random.pick(seeds);
  const doc = structuredClone(seed.doc) as Json;
  const applied: string[] = [];
  const count = random.int(1, 3);
  for (let i = 0; i < count; i++) applied.push(mutations[random.pick(MUTATION_NAMES)]!(doc, random, size));
  const bombed = applied.includes('aliasBomb');
  const extension = bombed || random.chance(0.5) ? '.yaml' : '.json';
  // Block style indents each level, so a value nested thousands deep would take js-yaml a minute to write: flow style then.
  const deep = applied.some((m) => /^deepNesting \d{4}/.test(m));
  let text: string;
  try {
    text =
      extension === '.json'
        ? JSON.stringify(doc)
        : yaml.dump(doc, { noRefs: true, lineWidth: -1, schema: yaml.JSON_SCHEMA, ...(deep ? { flowLevel: 0 } : {}) });
  } catch (error) {
    // Shared values written out past V8's longest string: what matters is only that the file is too large.
    if (!(error instanceof RangeError)) throw error;
    text = ' '.repeat(DOCUMENT_LIMITS.maxFileBytes + 1024);
    applied.push('written out past the longest string');
  }
  if (bombed) text = text.replace(new RegExp(`'?${BOMB}'?`, 'g'), aliasBombText(random));
  // Past the loaders' file limit only the size matters (shared values written out can reach gigabytes).
  if (text.length > DOCUMENT_LIMITS.maxFileBytes + 1024) text = text.slice(0, DOCUMENT_LIMITS.maxFileBytes + 1024);
  return { seedName: seed.name, mutations: applied, extension, text };
}

/** A seed written out as it is. */
export function unmutatedCase(seed: { name: string; doc: unknown }): FuzzCase {
  return {
    seedName: seed.name,
    mutations: [],
    extension: '.yaml',
    text: yaml.dump(seed.doc, { noRefs: true, lineWidth: -1, schema: yaml.JSON_SCHEMA }),
  };
}

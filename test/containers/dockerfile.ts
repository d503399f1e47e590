/**
 * Enough of Docker's Dockerfile syntax to check our Dockerfiles without Docker: instructions
 * joined across `\` continuations (with comment lines inside them dropped, as BuildKit does),
 * stages, COPY sources, exec-form commands and ENV pairs.
 */
import * as fs from 'node:fs';

export interface Instruction {
  readonly keyword: string;
  readonly text: string;
  /** 1-based line of the instruction's first line. */
  readonly line: number;
}

export interface Stage {
  /** The image or earlier stage it starts from. */
  readonly base: string;
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

export interface CopyInstruction {
  readonly from?: string;
  readonly sources: readonly string[];
  readonly destination: string;
  readonly line: number;
}

const KEYWORDS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

export class Dockerfile {
  readonly instructions: readonly Instruction[];

  constructor(
    readonly file: string,
    text: string = fs.readFileSync(file, 'utf8'),
  ) {
    this.instructions = parseInstructions(file, text);
    if (this.instructions[0]?.keyword !== 'FROM') throw new Error(`${file}: the first instruction must be FROM`);
  }

  get stages(): Stage[] {
    const stages: { base: string; name?: string; instructions: Instruction[] }[] = [];
    for (const instruction of this.instructions) {
      if (instruction.keyword === 'FROM') {
        const words = instruction.text.split(/\s+/).filter((word) => !word.startsWith('--'));
        const base = words[0]!;
        const name = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
        stages.push(name === undefined ? { base, instructions: [] } : { base, name, instructions: [] });
      } else {
        stages[stages.length - 1]!.instructions.push(instruction);
      }
    }
    return stages;
  }

  get finalStage(): Stage {
    return this.stages[this.stages.length - 1]!;
  }

  /** Images pulled from a registry: FROM and COPY --from that do not name an earlier stage. */
  get externalImages(): string[] {
    const stageNames = new Set<string>();
    const images: string[] = [];
    for (const stage of this.stages) {
      if (!stageNames.has(stage.base)) images.push(stage.base);
      if (stage.name) stageNames.add(stage.name);
      for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY').map(parseCopy)) {
        if (copy.from !== undefined && !stageNames.has(copy.from)) images.push(copy.from);
      }
    }
    return images;
  }

  /** COPY instructions that read from the build context (not from another stage or image). */
  get contextCopies(): CopyInstruction[] {
    return this.instructions
      .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
      .map(parseCopy)
      .filter((c) => c.from === undefined);
  }
}

function parseInstructions(file: string, text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) || (pending === undefined && line.trim() === '')) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1) : line;
    pending = pending ? { text: `${pending.text} ${body.trim()}`, line: pending.line } : { text: body.trim(), line: index + 1 };
    if (continued) return;
    const [keyword, ...rest] = pending.text.split(/\s+/);
    const upper = keyword!.toUpperCase();
    if (!KEYWORDS.has(upper)) throw new Error(`${file}:${pending.line}: unknown instruction '${keyword}'`);
    instructions.push({ keyword: upper, text: rest.join(' '), line: pending.line });
    pending = undefined;
  });
  if (pending) throw new Error(`${file}:${pending.line}: the last instruction ends with a line continuation`);
  return instructions;
}

function parseCopy(instruction: Instruction): CopyInstruction {
  const words = instruction.text.startsWith('[') ? (JSON.parse(instruction.text) as string[]) : instruction.text.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  if (paths.length < 2) throw new Error(`line ${instruction.line}: ${instruction.keyword} needs a source and a destination`);
  const copy = { sources: paths.slice(0, -1), destination: paths[paths.length - 1]!, line: instruction.line };
  return from === undefined ? copy : { ...copy, from };
}

/** CMD or ENTRYPOINT in exec form (a JSON array), as Docker requires for signals to reach node. */
export function execForm(instruction: Instruction): string[] {
  let value: unknown;
  try {
    value = JSON.parse(instruction.text);
  } catch {
    throw new Error(`line ${instruction.line}: ${instruction.keyword} is not in exec form (a JSON array of strings)`);
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`line ${instruction.line}: ${instruction.keyword} is not a JSON array of strings`);
  }
  return value as string[];
}

/** The variables ENV sets, in `KEY=value` form (values may be double-quoted). */
export function envPairs(instruction: Instruction): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const match of instruction.text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const value = match[2]!;
    pairs[match[1]!] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  return pairs;
}

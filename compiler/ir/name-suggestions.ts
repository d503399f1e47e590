/**
 * "Did you mean" suggestions for misspelt names in IR, with bounded cost. Edit distance is quadratic
 * in the names' lengths and a document can have thousands of wrong references, each with thousands of
 * candidates, so without bounds one large or hostile file takes minutes to validate. The bounds: names
 * longer than {@link MAX_SUGGESTED_NAME} are never compared (no one misspells a name that long), a
 * candidate whose length differs by more than the allowed distance is skipped without computing it,
 * at most {@link MAX_CANDIDATES} candidates are compared per name, and one validation computes at most
 * {@link CELL_BUDGET} distance cells in all; past that, messages list known names instead.
 */
export const MAX_SUGGESTED_NAME = 64;
export const MAX_CANDIDATES = 1000;
export const CELL_BUDGET = 10_000_000;

/** One validation's suggestion budget. */
export class NameSuggester {
  private cellsLeft = CELL_BUDGET;

  /** Whether `written` is probably a typo (or the snake_case form) of `intended`. */
  isLikelyMeant(written: string, intended: string): boolean {
    const camel = written.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    return camel === intended || this.closeDistance(written, intended) !== undefined;
  }

  /** The candidate `written` most likely misspells, if any is close. */
  closestMatch(written: string, candidates: readonly string[]): string | undefined {
    if (written.length > MAX_SUGGESTED_NAME) return undefined;
    let best: string | undefined;
    let bestDistance = Infinity;
    const count = Math.min(candidates.length, MAX_CANDIDATES);
    for (let index = 0; index < count; index++) {
      const candidate = candidates[index]!;
      const distance = this.closeDistance(written, candidate);
      if (distance !== undefined && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** ` (did you mean 'x'?)`, or the known names, or ` (there are none)`: the tail of a "not defined" message. */
  suggest(name: string, candidates: readonly string[]): string {
    const meant = this.closestMatch(name, candidates);
    if (meant) return ` (did you mean ${quoteName(meant)}?)`;
    if (candidates.length === 0) return ' (there are none)';
    const shown = candidates.slice(0, 8).map(quoteName).join(', ');
    return ` (known: ${shown}${candidates.length > 8 ? `, … ${candidates.length - 8} more` : ''})`;
  }

  /** The distance between the two names when it is small enough to call one a typo of the other. */
  private closeDistance(a: string, b: string): number | undefined {
    if (a.length > MAX_SUGGESTED_NAME || b.length > MAX_SUGGESTED_NAME) return undefined;
    const allowed = Math.max(1, Math.floor(Math.min(a.length, b.length) / 4));
    // The distance is at least the difference in length.
    if (Math.abs(a.length - b.length) > allowed) return undefined;
    const cells = (a.length + 1) * (b.length + 1);
    if (cells > this.cellsLeft) return undefined;
    this.cellsLeft -= cells;
    const distance = editDistance(a.toLowerCase(), b.toLowerCase());
    return distance <= allowed ? distance : undefined;
  }
}

/** 'INTEGER' for NUMBER_INTEGER: enum names often add a prefix to the word people write. */
export function onlyContaining(written: string, candidates: readonly string[]): string | undefined {
  if (written.length < 3 || written.length > MAX_SUGGESTED_NAME) return undefined;
  const containing = candidates.filter((c) => c.toLowerCase().includes(written.toLowerCase()));
  return containing.length === 1 ? containing[0] : undefined;
}

/** A name in quotes for a message, shortened when it is too long to read. */
export function quoteName(name: string): string {
  return `'${shortName(name)}'`;
}

/** The name, or its start and length when it is too long to read. */
export function shortName(name: string): string {
  return name.length > 80 ? `${name.slice(0, 60)}… (${name.length} characters)` : name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

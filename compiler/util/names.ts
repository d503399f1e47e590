/**
 * The reference compiler's naming rules: names are lower-cased, each run of characters outside
 * [-0-9a-z] becomes '-', and repeats get '-2', '-3', …  Uniqueness is kept with a hash set and a
 * per-base counter so that naming stays linear (the reference rescans lists, which is quadratic).
 */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-0-9a-z]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export class UniqueNames {
  private readonly taken = new Set<string>();
  private readonly nextIndex = new Map<string, number>();

  /** `base` if free, else the first free `base-N` for N = 2, 3, … */
  allocate(base: string): string {
    if (!this.taken.has(base)) {
      this.taken.add(base);
      return base;
    }
    let index = this.nextIndex.get(base) ?? 2;
    while (this.taken.has(`${base}-${index}`)) index++;
    const name = `${base}-${index}`;
    this.nextIndex.set(base, index + 1);
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}

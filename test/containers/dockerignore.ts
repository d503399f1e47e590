/**
 * Whether .dockerignore keeps a path out of the build context: Docker's rules for the patterns we
 * use (`*`, `?`, `**`, `!` exceptions; a pattern that matches a folder matches everything below
 * it; the last pattern that matches wins).
 */
import * as fs from 'node:fs';

interface Rule {
  readonly pattern: RegExp;
  readonly exclude: boolean;
}

export class DockerIgnore {
  private readonly rules: readonly Rule[];

  constructor(text: string) {
    this.rules = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const exclude = !line.startsWith('!');
        const pattern = (exclude ? line : line.slice(1)).replace(/^\/+|\/+$/g, '');
        return { pattern: globToRegExp(pattern), exclude };
      });
  }

  static read(file: string): DockerIgnore {
    return new DockerIgnore(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  }

  /** True when `file` (relative to the context root, `/`-separated) is left out of the context. */
  ignores(file: string): boolean {
    const parts = file.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
    const selfAndParents = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
    let excluded = false;
    for (const rule of this.rules) {
      if (selfAndParents.some((candidate) => rule.pattern.test(candidate))) excluded = rule.exclude;
    }
    return excluded;
  }
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

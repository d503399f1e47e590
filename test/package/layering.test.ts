/**
 * Which of the repository's folders may load which: the table under "## Dependency rules" in
 * ARCHITECTURE.md, read here, so a folder never reaches up into one that builds on it (runner/
 * into cli/, compiler/ into components/image-classifier/, vertex/ into serving/'s stand-ins).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayeringRulesError, foldersWithoutRules, layeringViolations, parseLayeringRules } from './layering-rules';

const root = path.resolve(__dirname, '../..');
const rules = parseLayeringRules(fs.readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8'));

describe('the layering in ARCHITECTURE.md', () => {
  it('states the core rules', () => {
    expect(rules.get('compiler')).toEqual([]);
    expect(rules.get('runner')).toEqual(['compiler']);
    for (const [folder, mayLoad] of rules) {
      if (mayLoad === '*') continue;
      if (folder !== 'pipelines')
        expect({ folder, loadsClassifier: mayLoad.includes('components/image-classifier') }).toEqual({ folder, loadsClassifier: false });
      if (!['cli', 'pipelines'].includes(folder))
        expect({ folder, loadsCli: mayLoad.includes('cli') }).toEqual({ folder, loadsCli: false });
    }
  });

  it('names only folders that exist', () => {
    const named = new Set([...rules.keys(), ...[...rules.values()].flatMap((mayLoad) => (mayLoad === '*' ? [] : mayLoad))]);
    expect([...named].filter((folder) => !fs.existsSync(path.join(root, folder)))).toEqual([]);
  });

  it('covers every folder that holds sources', () => {
    expect(foldersWithoutRules(root, rules)).toEqual([]);
  });

  it('is kept: no source loads a folder its own folder may not', () => {
    expect(layeringViolations(root, rules)).toEqual([]);
  });
});

describe('the layering check', () => {
  let tree: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.writeFileSync(path.join(tree, file), text);
  };
  const table = (rows: string) =>
    `# Architecture\n\n## Dependency rules\n\n| folder | may load | why |\n|---|---|---|\n${rows}\n\n## Next\n`;

  beforeEach(() => {
    tree = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-layering-'));
  });
  afterEach(() => fs.rmSync(tree, { recursive: true, force: true }));

  it('reports an import that runs the wrong way, in each form, and accepts the allowed ones', () => {
    const synthetic = parseLayeringRules(
      table(
        '| `core/` | nothing | base |\n| `runner/` | `core/` | on core |\n| `app/` | `core/`, `runner/` | top |\n| `bench/` | any folder | tools |',
      ),
    );
    write('core/a.ts', "import { b } from './b';\nimport { run } from '../runner/run';\n");
    write('core/b.ts', "export const b = 1;\nexport const lazy = () => require('../app/main');\n");
    write('core/c.js', "import '../app/side-effect';\nexport * from '../runner/run';\nconst later = import('../runner/run');\n");
    write('runner/run.ts', "import { b } from '../core/b';\nimport * as fs from 'node:fs';\nimport { x } from 'some-package';\n");
    write('app/main.ts', "import { run } from '../runner/run';\nimport { b } from '../core/b';\n");
    write('bench/anything.ts', "import { run } from '../app/main';\n");
    expect(layeringViolations(tree, synthetic)).toEqual([
      "core/a.ts: '../runner/run' (core/ may not load runner/)",
      "core/b.ts: '../app/main' (core/ may not load app/)",
      "core/c.js: '../app/side-effect' (core/ may not load app/)",
      "core/c.js: '../runner/run' (core/ may not load runner/)",
      "core/c.js: '../runner/run' (core/ may not load runner/)",
    ]);
  });

  it('judges a sub-folder with a row of its own by its row, and a workspace package by its folder', () => {
    const synthetic = parseLayeringRules(
      table(
        '| `compiler/` | nothing | base |\n| `components/lib/` | `compiler/` | steps |\n| `components/image-classifier/` | `compiler/` | package |',
      ),
    );
    write('compiler/index.ts', "import { train } from '@kfp-ts/image-classifier/train';\n");
    write('components/lib/x.ts', "import { y } from '../image-classifier/y';\nimport { c } from '../../compiler';\n");
    write('components/image-classifier/y.ts', "import { c } from '../../compiler';\n");
    expect(layeringViolations(tree, synthetic)).toEqual([
      "compiler/index.ts: '@kfp-ts/image-classifier/train' (compiler/ may not load components/image-classifier/)",
      "components/lib/x.ts: '../image-classifier/y' (components/lib/ may not load components/image-classifier/)",
    ]);
  });

  it('lists a folder with sources that no row covers', () => {
    const synthetic = parseLayeringRules(table('| `core/` | nothing | base |'));
    write('core/a.ts', '');
    write('newfolder/deep/b.ts', '');
    write('docs/picture.png', '');
    expect(foldersWithoutRules(tree, synthetic)).toEqual(['newfolder/deep/b.ts (in no folder of the table)']);
  });

  it('rejects a table it cannot read, naming the line', () => {
    expect(() => parseLayeringRules('# Architecture\n')).toThrow(LayeringRulesError);
    expect(() => parseLayeringRules(table('| core | nothing | x |'))).toThrow(
      /ARCHITECTURE\.md:7: the first cell must be one folder in backticks/,
    );
    expect(() => parseLayeringRules(table('| `core/` | compiler | x |'))).toThrow(/ARCHITECTURE\.md:7: the second cell must be/);
    expect(() => parseLayeringRules(table('| `core/` | nothing | x |\n| `core/` | nothing | y |'))).toThrow(
      /ARCHITECTURE\.md:8: 'core\/' has a second row/,
    );
  });
});

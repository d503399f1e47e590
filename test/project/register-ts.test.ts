/**
 * project/register-ts.js, the require hook for a team's TypeScript files. Each case runs in a fresh
 * Node process: the hook changes `require.extensions`, which jest's own module system does not use.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const hook = path.resolve(__dirname, '../../project/register-ts.js');

/** A folder with TypeScript that only a full transform loads: an enum, and JSX in a .tsx file. */
function fixtures(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-register-'));
  fs.writeFileSync(path.join(folder, 'colour.ts'), 'export enum Colour { Red = 1, Green }\nexport const green: number = Colour.Green;\n');
  fs.writeFileSync(
    path.join(folder, 'view.tsx'),
    'const React = { createElement: (tag: string) => `<${tag}>` };\nexport const view = <main />;\n',
  );
  return folder;
}

/** Runs `script` with Node in `cwd`; its stdout, or an error that shows its stderr. */
function node(script: string, cwd: string): string {
  const result = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node exited with ${result.status}:\n${result.stderr}`);
  return result.stdout.trim();
}

describe('register-ts', () => {
  let folder: string;
  beforeEach(() => {
    folder = fixtures();
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('replaces a .ts/.tsx handler registered before it, as newer Node registers its type stripping', () => {
    // GIVEN handlers that are not ours (standing for Node's own loader), which fail if used
    const script = `
      const foreign = () => { throw new Error('the foreign handler loaded the file'); };
      require.extensions['.ts'] = foreign;
      require.extensions['.tsx'] = foreign;
      require(${JSON.stringify(hook)});
      const ours = Symbol.for('kfp-ts.register-ts');
      console.log(JSON.stringify({
        green: require('./colour').green,
        view: require('./view').view,
        marked: [require.extensions['.ts'][ours], require.extensions['.tsx'][ours]],
      }));`;
    // THEN ours loads both files, and is marked
    expect(JSON.parse(node(script, folder))).toEqual({ green: 2, view: '<main>', marked: [true, true] });
  });

  it('is idempotent: loading it again, or another copy of it, keeps the first handler', () => {
    const copy = path.join(folder, 'copy', 'register-ts.js');
    fs.mkdirSync(path.dirname(copy));
    fs.copyFileSync(hook, copy);
    const script = `
      require(${JSON.stringify(hook)});
      const first = require.extensions['.ts'];
      require(${JSON.stringify(copy)});
      delete require.cache[${JSON.stringify(hook)}];
      require(${JSON.stringify(hook)});
      console.log(JSON.stringify({
        same: require.extensions['.ts'] === first && require.extensions['.tsx'] === first,
        green: require('./colour').green,
      }));`;
    expect(JSON.parse(node(script, folder))).toEqual({ same: true, green: 2 });
  });
});

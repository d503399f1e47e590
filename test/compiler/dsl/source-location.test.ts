/**
 * Where a pipeline element was created: the user's line for messages, and for a function
 * component the module that defines it, also when that module is an installed package or a path
 * with spaces, or is loaded from a file:// URL.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilePipeline, pipeline } from '../../../compiler';
import type { FunctionComponent } from '../../../compiler/dsl/function-component';
import { CallSite } from '../../../compiler/dsl/source-location';

let folder: string;
beforeAll(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts source location '));
  fs.writeFileSync(path.join(folder, 'package.json'), '{ "name": "source-location-fixture" }');
  const packageFolder = path.join(folder, 'node_modules', 'team-steps');
  fs.mkdirSync(packageFolder, { recursive: true });
  fs.writeFileSync(path.join(packageFolder, 'package.json'), '{ "name": "team-steps", "main": "index.js" }');
  fs.writeFileSync(
    path.join(packageFolder, 'index.js'),
    `const { functionComponent, t } = require(${JSON.stringify(path.resolve(__dirname, '../../../compiler'))});\n` +
      "exports.shared = functionComponent({ name: 'shared', outputs: { n: t.int() }, implementation: () => ({ n: 1 }) });\n",
  );
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('a function component defined in an installed package, in a folder whose path has spaces', () => {
  it('knows its module and is bundled into a lightweight step', () => {
    const modulePath = path.join(folder, 'node_modules', 'team-steps', 'index.js');
    const { shared } = require(modulePath) as { shared: FunctionComponent };
    expect(shared.definition.implementation).toMatchObject({ kind: 'function', moduleFile: modulePath });
    const spec = compilePipeline(pipeline({ name: 'uses-shared' }, () => void shared({})));
    const command = spec.deploymentSpec!.executors['exec-shared']!.container!.command!;
    // The package is its own project: the bundle names the module relative to the package's folder.
    expect(command[4]!.split('\n')[0]).toBe('// kfp-ts step "shared" from "index.js"');
  });
});

describe('CallSite frames', () => {
  it('reads a file:// frame with escaped characters as the file it names', () => {
    const file = path.join(folder, 'esm step.mjs');
    fs.writeFileSync(file, 'export function capture(make) { return make(); }\n');
    const site = new CallSite();
    const url = pathToFileURL(file).href;
    // The stack as V8 prints a frame of an ES module: a file:// URL, spaces escaped as %20.
    Object.defineProperty(site, 'capture', { value: { stack: `Error\n    at capture (${url}:1:40)\n    at other (/elsewhere.js:1:1)` } });
    expect(url).toContain('%20');
    expect(site.definingFile).toBe(file);
    expect(site.location).toEqual({ file, line: 1, column: 40 });
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { kfpTsVersion } from '../compiler/util/package-paths';
import { npmPackageName } from './scaffold/package-json';
import { scaffoldFiles } from './scaffold/scaffold-files';
import { KfpTsError } from '../compiler/errors/kfp-ts-error';

export interface InitOptions {
  /** The project folder; made when missing. */
  readonly folder: string;
  /** The npm package name. @default the folder's name, made a valid npm name */
  readonly name?: string;
  /** Write into a folder that already holds files (never over an existing file). @default false */
  readonly force?: boolean;
  /** The dependency specifier of kfp-ts. @default `^<this kfp-ts's version>` */
  readonly kfpTsSpec?: string;
}

export interface InitResult {
  readonly name: string;
  /** Relative paths of the files written, and of those left alone because they existed. */
  readonly written: readonly string[];
  readonly kept: readonly string[];
}

/** A folder `kfp-ts init` will not write into, with what to do about it. */
export class InitError extends KfpTsError {
  override readonly name = 'InitError';
}

/**
 * Writes a new kfp-ts project into `folder`. A folder with files in it is refused unless `force`
 * (an empty git clone counts as empty), and even then no existing file is overwritten: it is kept,
 * and listed, so re-running init only adds what is missing.
 */
export function initProject(options: InitOptions): InitResult {
  const folder = path.resolve(options.folder);
  if (fs.existsSync(folder) && !fs.statSync(folder).isDirectory()) throw new InitError(`${folder} is a file, not a folder`);
  if (!fs.existsSync(folder)) {
    try {
      fs.mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new InitError(`cannot make ${folder}: ${(error as Error).message}; choose a folder you can write to`);
    }
  }
  const present = fs.readdirSync(folder).filter((entry) => entry !== '.git');
  if (present.length > 0 && !options.force) {
    const shown = present.slice(0, 5).join(', ') + (present.length > 5 ? ', …' : '');
    throw new InitError(
      `${folder} is not empty (${shown}); init a new folder, or pass --force to add the missing files (existing files are never overwritten)`,
    );
  }
  const name = options.name !== undefined ? checkedName(options.name) : npmPackageName(path.basename(folder));
  const vendored = vendoredTarball(options.kfpTsSpec);
  const files = scaffoldFiles({ name, kfpTsSpec: vendored?.spec ?? options.kfpTsSpec ?? `^${kfpTsVersion()}` });
  const written: string[] = [];
  const kept: string[] = [];
  const write = (relative: string, content: string | Buffer) => {
    const target = path.join(folder, ...relative.split('/'));
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      // 'wx' fails on an existing file instead of replacing it, even one made a moment ago.
      fs.writeFileSync(target, content, { flag: 'wx' });
      written.push(relative);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') kept.push(relative);
      else throw new InitError(`cannot write ${target}: ${(error as Error).message}; choose a folder you can write to`);
    }
  };
  if (vendored) write(vendored.relative, fs.readFileSync(vendored.source));
  for (const file of files) write(file.path, file.text);
  return { name, written, kept };
}

/**
 * A `file:` tarball (kfp-ts packed, not yet from the registry) is copied into the project's
 * vendor/ folder and depended on there: an absolute path of this machine would not resolve in the
 * project's image (its Dockerfile runs `npm ci` on the build context) nor on a colleague's machine.
 */
function vendoredTarball(spec: string | undefined): { source: string; relative: string; spec: string } | undefined {
  if (spec === undefined || !spec.startsWith('file:') || !spec.endsWith('.tgz')) return undefined;
  const source = path.resolve(spec.slice('file:'.length));
  if (!fs.existsSync(source)) throw new InitError(`--kfp-ts-spec ${spec}: no such file; give the tarball \`npm pack\` wrote`);
  const relative = `vendor/${path.basename(source)}`;
  return { source, relative, spec: `file:${relative}` };
}

/** A name given with --name: an npm package name, scoped (`@team/pipelines`) or not. */
function checkedName(name: string): string {
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
  const parts = scoped ? [scoped[1]!, scoped[2]!] : [name];
  if (name.length > 214 || parts.some((part) => npmPackageName(part) !== part)) {
    const suggestion = parts.map(npmPackageName).join('/');
    throw new InitError(`--name '${name}' is not a valid npm package name; e.g. '${scoped ? '@' : ''}${suggestion}'`);
  }
  return name;
}

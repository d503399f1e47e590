import * as path from 'node:path';
import { shownPath } from '../../project/docker-commands';
import { initProject } from '../../project/init-project';
import { UsageError, type Command } from '../sub-command';
import { parseArgs } from '../parse-args';

const usage = `Usage: kfp-ts init [dir] [--name NAME] [--force] [--kfp-ts-spec SPEC]

Makes a new kfp-ts project in dir (default: the working directory): package.json, tsconfig.json,
kfp-ts.config.ts, a lightweight and a containerized step, a pipeline wiring them, tests, a
Dockerfile for the project's image, cloudbuild.yaml and a README. Then: npm install && npm test.

  --name NAME          the npm package name (default: the folder's name, made a valid one)
  --force              write into a folder that has files already; existing files are kept
  --kfp-ts-spec SPEC   the kfp-ts dependency to install (default: ^<this version>), e.g.
                       file:/path/to/kfp-ts-0.1.0.tgz
`;

export const initCommand: Command = {
  name: 'init',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: { name: ['--name'], kfpTsSpec: ['--kfp-ts-spec'] }, flags: { force: ['--force'] } });
    const [dir, ...extra] = args.positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const folder = path.resolve(io.cwd, dir ?? '.');
    const result = initProject({
      folder,
      force: args.flags['force'] === true,
      ...(args.values['name'] !== undefined ? { name: args.values['name'] } : {}),
      ...(args.values['kfpTsSpec'] !== undefined ? { kfpTsSpec: specFrom(args.values['kfpTsSpec'], io.cwd) } : {}),
    });
    const shown = shownPath(folder, io.cwd);
    io.stdout(`Made kfp-ts project '${result.name}' in ${shown}\n`);
    for (const file of result.written) io.stdout(`  + ${file}\n`);
    for (const file of result.kept) io.stdout(`  = ${file} (exists; left as it is)\n`);
    const cd = shown === '.' ? '' : `cd ${shown} && `;
    io.stdout(`\nNext: ${cd}npm install && npm test && npm run run\n`);
    return 0;
  },
};

/** A `file:` spec's path is relative to where the command runs, as npm reads it. */
function specFrom(spec: string, cwd: string): string {
  return spec.startsWith('file:') ? `file:${path.resolve(cwd, spec.slice('file:'.length))}` : spec;
}

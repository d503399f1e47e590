import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComponentLoadError } from '../../compiler/component-yaml/component-load-error';
import { DEFAULT_IMPORT, generateTypedWrapper, type TypedWrapper } from '../../compiler/component-yaml/typed-wrapper';
import { isIdentifier } from '../../compiler/component-yaml/ts-source';
import { UsageError, type Command } from '../sub-command';
import { writeOutputFile } from '../write-output-file';
import { parseArgs } from '../parse-args';
import { shellCommand } from '../../project/docker-commands';

const usage = `Usage: kfp-ts types <component.yaml> [-o component.ts] [--import-from SPECIFIER] [--name IDENTIFIER] [--check]

Writes a TypeScript module that exports a component file's component with its exact signature, so
that tsc rejects a wrong argument type, an unknown input or a missing required input. The module
embeds the component's text, so compiling a pipeline that imports it reads no file and does not
depend on the working directory. Reads KFP v1 component YAML and compiled KFP IR (YAML or JSON),
and checks the component as it loads it.

  -o, --output FILE          write to FILE, a .ts file (default: stdout)
  --import-from SPECIFIER    the module the wrapper imports kfp-ts from (default: '${DEFAULT_IMPORT}')
  --name IDENTIFIER          the exported constant (default: the component's name in camelCase)
  --check                    write nothing; exit 1 when FILE is not what would be written (for CI)

Example:
  npx kfp-ts types components/train.yaml -o components/train.ts
  # prints the export's name (the component's name in camelCase); then, in a pipeline:
  #   import { trainModel } from './components/train';
  #   trainModel({ data: prepared.outputs.data, epochs: 10 });   // checked by tsc
`;

/** `kfp-ts types`: a typed wrapper for a component file. */
export const typesCommand: Command = {
  name: 'types',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: { output: ['-o', '--output'], importFrom: ['--import-from'], name: ['--name'] },
      flags: { check: ['--check'] },
    });
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('missing the component file');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const { output, importFrom, name } = args.values;
    if (output !== undefined && !/\.[cm]?ts$/.test(output)) throw new UsageError(`output file '${output}' must end in .ts`);
    if (name !== undefined && !isIdentifier(name)) throw new UsageError(`--name '${name}' is not a JavaScript identifier`);
    if (importFrom === '') throw new UsageError('--import-from needs a module specifier');
    if (args.flags['check'] && output === undefined) throw new UsageError('--check needs -o FILE, the file to check');

    const input = path.resolve(io.cwd, file);
    let text: string;
    try {
      text = fs.readFileSync(input, 'utf8');
    } catch (error) {
      io.stderr(
        `kfp-ts types: ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) — check the path\n`,
      );
      return 1;
    }
    const command = regenerateCommand(input, output === undefined ? undefined : path.resolve(io.cwd, output), args.values);
    let wrapper: TypedWrapper;
    try {
      wrapper = generateTypedWrapper({
        text,
        sourceName: path.basename(input),
        regenerateCommand: command,
        ...(importFrom !== undefined ? { importFrom } : {}),
        ...(name !== undefined ? { exportName: name } : {}),
      });
    } catch (error) {
      // Name the file as it was typed; the wrapper itself only ever holds the basename.
      if (error instanceof ComponentLoadError) throw new ComponentLoadError(file, error.problem, error.fix, error.line);
      throw error;
    }
    if (output === undefined) {
      io.stdout(wrapper.text);
      return 0;
    }
    const target = path.resolve(io.cwd, output);
    if (args.flags['check']) {
      const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
      if (current === wrapper.text) {
        io.stderr(`${output} is up to date with ${file}\n`);
        return 0;
      }
      io.stderr(
        `kfp-ts types: ${output} ${current === undefined ? 'does not exist' : `is out of date with ${file}`} — regenerate it: ${command}\n`,
      );
      return 1;
    }
    writeOutputFile(target, wrapper.text);
    io.stderr(`Wrote ${output}: import { ${wrapper.exportName} } from it\n`);
    return 0;
  },
};

/**
 * The header's command: paths relative to the wrapper's folder, so that the output does not depend
 * on where the command ran.
 */
function regenerateCommand(input: string, output: string | undefined, values: Record<string, string | undefined>): string {
  const words = ['npx', 'kfp-ts', 'types'];
  if (output === undefined) {
    words.push(path.basename(input));
  } else {
    words.push(path.relative(path.dirname(output), input).split(path.sep).join('/'), '-o', path.basename(output));
  }
  if (values['importFrom'] !== undefined) words.push('--import-from', values['importFrom']);
  if (values['name'] !== undefined) words.push('--name', values['name']);
  return shellCommand(words);
}

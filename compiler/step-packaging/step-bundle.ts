import * as path from 'node:path';
import { BUNDLE_CONDITION, bundleSourceOf } from './bundle-source';
import { nativePackagesAmong } from './native-packages';
import { relativeInside } from './project-root';
import { KfpTsError } from '../errors/kfp-ts-error';

/** The bundle of a lightweight step: one CommonJS file of plain ASCII that runs on Node alone. */
export interface StepBundle {
  readonly code: string;
  readonly bytes: number;
}

/** Why a step could not be bundled, in the user's terms; the caller adds the task path and line. */
export class StepBundleError extends KfpTsError {
  override readonly name = 'StepBundleError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const NATIVE_FIX =
  "lightweight steps run their bundle on a stock Node image: make the step containerized with targetImage: projectImage('…') (an image built from your project by `kfp-ts build`), or use a pure-JavaScript package";

/**
 * Bundles the module that defines a function component, with its pure-JavaScript dependencies and
 * the executor, into one file whose `main` runs the component named `componentName`. Node's own
 * modules stay external. Paths that esbuild writes are relative to `projectRoot`, so the bundle
 * (and with it the IR and the cache key) is the same from any working directory.
 */
export function bundleStep(moduleFile: string, componentName: string, projectRoot: string): StepBundle {
  // Loaded here, not at the top: only compiling a pipeline with function components needs esbuild.
  const esbuild = require('esbuild') as typeof import('esbuild');
  const stepMain = bundleSourceOf(path.join(__dirname, '..', 'dsl', `step-main${path.extname(__filename)}`));
  const entry = [
    `import * as step from ${JSON.stringify(moduleFile)};`,
    `import { runStepMain } from ${JSON.stringify(stepMain)};`,
    `runStepMain(step, ${JSON.stringify(componentName)}, process.argv.slice(2), (text) => process.stderr.write(text))`,
    `  .then((status) => { process.exitCode = status; }, (error) => { process.stderr.write(String((error && error.stack) || error) + '\\n'); process.exitCode = 1; });`,
  ].join('\n');
  const shown = relativeInside(projectRoot, moduleFile) ?? path.basename(moduleFile);
  let result: import('esbuild').BuildResult & { outputFiles: import('esbuild').OutputFile[]; metafile: import('esbuild').Metafile };
  try {
    result = esbuild.buildSync({
      stdin: { contents: entry, resolveDir: projectRoot, sourcefile: 'kfp-ts-step-entry.js', loader: 'js' },
      absWorkingDir: projectRoot,
      bundle: true,
      write: false,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      conditions: [BUNDLE_CONDITION],
      // Whitespace and syntax only: function and variable names survive, so a step's stack trace
      // in its log still reads.
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      charset: 'ascii',
      banner: { js: `// kfp-ts step ${commentText(componentName)} from ${commentText(shown)}` },
      logLevel: 'silent',
      metafile: true,
    });
  } catch (error) {
    throw bundleFailure(error as { errors?: import('esbuild').Message[] }, shown);
  }
  const unbundled = result.warnings.filter((warning) => /will not be bundled/.test(warning.text));
  if (unbundled.length) {
    const where = unbundled.map((warning) => describeMessage(warning)).join('; ');
    throw new StepBundleError(`the step's code loads modules at run time that cannot be bundled (${where})`, NATIVE_FIX);
  }
  const inputs = Object.keys(result.metafile?.inputs ?? {}).map((input) => path.resolve(projectRoot, input));
  const native = nativePackagesAmong(inputs);
  if (native.length) {
    throw new StepBundleError(
      `the step's code uses ${native.join(', ')}, which load${native.length === 1 ? 's' : ''} a native addon that cannot travel in a bundle`,
      NATIVE_FIX,
    );
  }
  const code = result.outputFiles[0]!.text;
  return { code, bytes: Buffer.byteLength(code) };
}

function bundleFailure(error: { errors?: import('esbuild').Message[]; message?: string }, shown: string): StepBundleError {
  const messages = error.errors ?? [];
  if (messages.some((message) => /\.node\b|No loader is configured/.test(message.text))) {
    return new StepBundleError(
      `the step module ${shown} depends on a native addon (${messages.map(describeMessage).join('; ')})`,
      NATIVE_FIX,
    );
  }
  const text = messages.length ? messages.map(describeMessage).join('; ') : String(error.message ?? error);
  return new StepBundleError(
    `the step module ${shown} could not be bundled: ${text}`,
    'fix the import esbuild names (is the package installed?) and compile again',
  );
}

function describeMessage(message: import('esbuild').Message): string {
  const location = message.location ? `${message.location.file}:${message.location.line}: ` : '';
  return `${location}${message.text}`;
}

/** Text quoted for a `//` comment: escaped so that no character of it can end the comment's line. */
function commentText(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

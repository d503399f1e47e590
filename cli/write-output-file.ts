import * as fs from 'node:fs';
import * as path from 'node:path';
import { KfpTsError } from '../compiler/errors/kfp-ts-error';

/** The output file could not be written (a parent path is a file, no permission, …). */
export class OutputFileError extends KfpTsError {
  override readonly name = 'OutputFileError';
}

/**
 * Writes a command's output file, creating missing parent folders first (as `tsc --outDir` does),
 * so `-o build/ir/pipeline.yaml` works in a fresh checkout. File-system failures become an
 * OutputFileError that names the path, for a one-line message instead of a stack trace.
 */
export function writeOutputFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new OutputFileError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/**
 * A component file that cannot be used. The message always reads `file[:line]: what is wrong — how to
 * fix it`, so that a wrong component fails where it is loaded, naming the file, not later in the
 * compiler or on the cluster.
 */
import { KfpTsError } from '../errors/kfp-ts-error';

export class ComponentLoadError extends KfpTsError {
  override readonly name = 'ComponentLoadError';

  constructor(
    /** The file (or the name given for a text) the component came from. */
    readonly source: string,
    /** What is wrong. */
    readonly problem: string,
    /** How to fix it. */
    readonly fix: string,
    /** 1-based line in the file, where known. */
    readonly line?: number,
  ) {
    super(`${line === undefined ? source : `${source}:${line}`}: ${problem} — ${fix}`);
  }
}

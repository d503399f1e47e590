/**
 * Writes scalar curves into a TensorBoard log directory: one subfolder per run, each with one
 * event file, which TensorBoard lists as runs and overlays on the charts of a shared tag (Keras'
 * TensorBoard callback writes `train/` and `validation/` this way). The directory is a local path
 * or a gs:// URI (Vertex AI's AIP_TENSORBOARD_LOG_DIR), written through a FileSink.
 */
import { FileSink, joinLocation } from '../storage/file-sink';
import { encodeEventFile, eventFileName, scalarEvents, type ScalarPoint } from './event-file';

export interface ScalarRunsOptions {
  /** When writing began, in seconds since the Unix epoch: the version event's wall_time and the name's timestamp. */
  readonly createdAt: number;
  /** The name's host part, as TensorFlow's writer puts os.hostname() there. */
  readonly hostname: string;
  readonly sink?: FileSink;
}

/**
 * Writes `<logDir>/<run>/events.out.tfevents.<seconds>.<host>` for each run, holding its points;
 * returns where each file went. A run name is a relative folder name ('train', 'eval/holdout').
 */
export async function writeScalarRuns(
  logDir: string,
  runs: Readonly<Record<string, readonly ScalarPoint[]>>,
  options: ScalarRunsOptions,
): Promise<string[]> {
  const sink = options.sink ?? new FileSink();
  const name = eventFileName(options.createdAt, options.hostname);
  const written: string[] = [];
  for (const [run, points] of Object.entries(runs)) {
    if (run === '' || run.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`TensorBoard run name ${JSON.stringify(run)} must be a relative folder name such as 'train'.`);
    }
    const bytes = encodeEventFile(scalarEvents(options.createdAt, points));
    written.push(await sink.write(joinLocation(logDir, run, name), bytes, 'TensorBoard event file'));
  }
  return written;
}

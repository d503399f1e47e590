/**
 * A predict request passed on to a deployed model's serving command, within limits like Vertex's:
 * the answer must come within a timeout (Vertex gives a shared public endpoint 60 s; a dedicated
 * one can be configured up to an hour) and may be only so large (Vertex's payload limits are 1.5
 * MB on a shared public endpoint and 10 MB on the others). Without them one hung or runaway model
 * would hold a request open for ever, or fill the endpoint server's memory.
 */
import { HttpError } from './http-messages';

/** Vertex's inference timeout on a shared public endpoint. */
export const DEFAULT_PREDICT_TIMEOUT_MS = 60_000;
/** Vertex's largest payload limit (dedicated and private endpoints); a shared public endpoint allows 1.5 MB. */
export const DEFAULT_MAX_MODEL_ANSWER_BYTES = 10_000_000;

export interface PredictTarget {
  /** `http://127.0.0.1:PORT/route` of the model's predict route. */
  readonly url: string;
  /** Names the model in errors, e.g. `deployed model 1 (projects/…/models/2@1)`. */
  readonly label: string;
  readonly logFile: string;
}

export interface PredictLimits {
  readonly timeoutMs: number;
  readonly maxAnswerBytes: number;
}

export interface ModelAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

class AnswerTooLarge extends Error {}

/** POSTs `body` to the model and reads its whole answer, or throws an HttpError (502, 504) saying why not. */
export async function forwardPredict(
  target: PredictTarget,
  body: Buffer,
  contentType: string,
  limits: PredictLimits,
): Promise<ModelAnswer> {
  const route = new URL(target.url).pathname;
  // One deadline for the whole exchange: a model may send its headers and then stall.
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': contentType }, body, signal });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      body: await readAnswer(response, limits.maxAnswerBytes),
    };
  } catch (error) {
    if (error instanceof AnswerTooLarge) {
      throw new HttpError(
        502,
        `${target.label} answered POST ${route} with ${error.message}, the local endpoint's limit on a model's answer being ${limits.maxAnswerBytes} bytes ` +
          `(Vertex's payload limit is 1.5 MB on a shared public endpoint, 10 MB on a dedicated one); return fewer or smaller predictions per request, ` +
          `or raise the endpoint server's maxModelAnswerBytes`,
      );
    }
    if (signal.aborted) {
      throw new HttpError(
        504,
        `${target.label} did not answer POST ${route} within ${formatSeconds(limits.timeoutMs)} (Vertex's timeout on a shared public endpoint is 60 s); ` +
          `make it answer faster or send fewer instances per request, or raise the endpoint server's predictTimeoutMs; see its log ${target.logFile}`,
      );
    }
    throw new HttpError(502, `${target.label} did not answer POST ${route}: ${(error as Error).message}; see its log ${target.logFile}`);
  }
}

/** The answer's body, read only up to `limit` bytes: a larger one is cut off there, not buffered. */
async function readAnswer(response: Response, limit: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw new AnswerTooLarge(`${declared} bytes`);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AnswerTooLarge(`more than ${limit} bytes (it was cut off there)`);
    }
    chunks.push(value);
  }
}

const formatSeconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

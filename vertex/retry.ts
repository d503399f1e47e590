/** How often and how patiently a call is repeated while the service answers UNAVAILABLE. */
export interface RetryPolicy {
  /** Tries in all, the first one included. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, initialDelayMs: 1000, maxDelayMs: 16_000, multiplier: 2 };

export interface RetryNotice {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: Error;
}

/** gRPC status 14: the service is (briefly) unreachable; the request was not processed and may be sent again. */
export const unavailableCode = 14;

/**
 * Calls `call`, and while it fails with UNAVAILABLE waits (exponential backoff with jitter, so
 * many clients do not come back in step) and calls again, up to `policy.attempts` tries. Other
 * errors, and the last UNAVAILABLE, are thrown as they are. The PipelineService client retries
 * nothing itself (every method is configured non-idempotent).
 */
export async function retryWhileUnavailable<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
  onRetry?: (notice: RetryNotice) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if ((error as { code?: unknown }).code !== unavailableCode || attempt >= policy.attempts) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
      const delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      onRetry?.({ attempt, delayMs, error: error as Error });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

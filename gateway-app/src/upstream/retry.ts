/**
 * Statuses with which an upstream says it did not process the request and when to come back,
 * provided it sends Retry-After. A 502 or 504 (or a 503 without Retry-After) may come after the
 * model ran, and a retry could bill the request twice, so those are never retried.
 */
export const RETRY_LATER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** The wait before retrying an answer with this status, or undefined when it must not be retried. */
export function retryLaterDelayMs(status: number, retryAfter: string | undefined, options: BackoffOptions = {}): number | undefined {
  if (!RETRY_LATER_STATUSES.has(status)) return undefined;
  const wait = parseRetryAfter(retryAfter, options.now ?? Date.now);
  if (wait === undefined || wait > (options.maxRetryAfterMs ?? 10_000)) return undefined;
  return wait;
}

export interface BackoffOptions {
  /** @default 100 */
  readonly baseMs?: number;
  /** @default 2000 */
  readonly capMs?: number;
  /** Longest Retry-After we wait for; a longer one ends the retries. @default 10000 */
  readonly maxRetryAfterMs?: number;
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based): the upstream's Retry-After when it sent one
 * we are willing to wait for, else "full jitter" exponential backoff, so that retrying clients
 * spread out instead of arriving together. Returns undefined when we should not wait.
 */
export function retryDelayMs(attempt: number, retryAfter: string | undefined, options: BackoffOptions = {}): number | undefined {
  const fromHeader = parseRetryAfter(retryAfter, options.now ?? Date.now);
  if (fromHeader !== undefined) return fromHeader <= (options.maxRetryAfterMs ?? 10_000) ? fromHeader : undefined;
  const ceiling = Math.min(options.capMs ?? 2_000, (options.baseMs ?? 100) * 2 ** attempt);
  return Math.round((options.random ?? Math.random)() * ceiling);
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: () => number = Date.now): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/**
 * Whether an error answer says the upstream did not run the request: a 429, or a 503 that says
 * when to come back (however far off). Any other error may come after the model ran.
 */
export function declinedUnrun(status: number, retryAfter: string | undefined): boolean {
  return status === 429 || (RETRY_LATER_STATUSES.has(status) && parseRetryAfter(retryAfter) !== undefined);
}

/** Waits, unless the client goes away first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

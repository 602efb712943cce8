/** Where log lines go; stdout in production, an array in tests. */
export type LogSink = (line: string) => void;

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON object a line. Callers pass only fields that are safe to log: the gateway never
 * hands it Authorization headers, keys, or prompt and completion text (unless LOG_PROMPTS).
 * `now` gives epoch milliseconds.
 */
export function createLogger(sink: LogSink, now: () => number = Date.now): Logger {
  const timestamp = isoTimestamps();
  // One object for JSON.stringify's native fast path: cheaper than assembling the line by hand.
  const write = (level: string, msg: string, fields?: Record<string, unknown>) => {
    const time = timestamp(now());
    let line: string;
    try {
      line = JSON.stringify({ time, level, msg, ...fields });
    } catch (error) {
      // A log line never takes the process down: the line goes out without its fields.
      line = JSON.stringify({ time, level, msg, log_error: `fields not serializable: ${(error as Error)?.message ?? String(error)}` });
    }
    sink(`${line}\n`);
  };
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
}

export interface LogBounds {
  /** Levels of nesting kept; deeper values become "[nested too deep]". @default 16 */
  readonly maxDepth?: number;
  /** Characters of strings kept in all, the rest cut with "…[truncated]". @default 8192 */
  readonly maxChars?: number;
}

/**
 * A copy of client-supplied content (prompts) small enough to log: bounded depth, bounded
 * total string length, a bounded number of entries. Iterates no deeper than `maxDepth`, so a
 * 10,000-deep message costs 16 levels, not a stack overflow in JSON.stringify.
 */
export function boundForLog(value: unknown, bounds: LogBounds = {}): unknown {
  const maxDepth = bounds.maxDepth ?? 16;
  let budget = bounds.maxChars ?? 8192;
  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") {
      if (v.length <= budget) {
        budget -= v.length;
        return v;
      }
      const kept = v.slice(0, Math.max(0, budget));
      budget = 0;
      return `${kept}…[truncated]`;
    }
    if (v === null || typeof v !== "object") return typeof v === "bigint" || typeof v === "function" || typeof v === "symbol" ? String(v) : v;
    if (depth >= maxDepth) return "[nested too deep]";
    if (budget <= 0) return "[truncated]";
    if (Array.isArray(v)) return v.slice(0, 100).map((item) => copy(item, depth + 1));
    const out: Record<string, unknown> = {};
    let entries = 0;
    for (const key in v) {
      if (entries++ >= 100 || budget <= 0) break;
      budget -= key.length;
      out[key] = copy((v as Record<string, unknown>)[key], depth + 1);
    }
    return out;
  };
  return copy(value, 0);
}

/** ISO-8601 strings for epoch milliseconds; under load many lines share a millisecond. */
function isoTimestamps(): (ms: number) => string {
  let lastMs = Number.NaN;
  let last = "";
  return (ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      last = new Date(ms).toISOString();
    }
    return last;
  };
}

export interface BufferedSink {
  readonly sink: LogSink;
  /** Writes whatever is pending now (shutdown, exit). */
  flush(): void;
}

export interface BufferedSinkOptions {
  /** Longest a line waits before it is written. @default 20 */
  readonly maxDelayMs?: number;
  /** Pending characters that trigger a write at once. @default 65536 */
  readonly maxChars?: number;
}

/**
 * Gathers log lines into few large writes: under load a write per event-loop turn still
 * meant thousands of synchronous stdout writes a second (a few percent of throughput in A/B
 * runs). Lines wait at most `maxDelayMs`; `flush` writes the rest (on shutdown and at exit).
 */
export function bufferedSink(write: (chunk: string) => void, options: BufferedSinkOptions = {}): BufferedSink {
  const maxDelayMs = options.maxDelayMs ?? 20;
  const maxChars = options.maxChars ?? 65536;
  let pending: string[] = [];
  let chars = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) return;
    const chunk = pending.join("");
    pending = [];
    chars = 0;
    write(chunk);
  };
  return {
    sink: (line) => {
      pending.push(line);
      chars += line.length;
      if (chars >= maxChars) flush();
      else if (!timer) {
        timer = setTimeout(flush, maxDelayMs);
        // A pending write never keeps the process alive; exit and shutdown flush it.
        timer.unref();
      }
    },
    flush,
  };
}

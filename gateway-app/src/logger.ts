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
  const write = (level: string, msg: string, fields?: Record<string, unknown>) =>
    sink(`${JSON.stringify({ time: timestamp(now()), level, msg, ...fields })}\n`);
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
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

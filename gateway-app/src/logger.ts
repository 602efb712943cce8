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
  /** Writes whatever is pending now (before exit). */
  flush(): void;
}

/**
 * Gathers the lines of one event-loop turn into one write: under load this turns thousands of
 * small stdout writes a second into a few larger ones, off the request path.
 */
export function bufferedSink(write: (chunk: string) => void): BufferedSink {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunk = pending.join("");
    pending = [];
    write(chunk);
  };
  return {
    sink: (line) => {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

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
 */
export function createLogger(sink: LogSink, now: () => Date = () => new Date()): Logger {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) =>
    sink(`${JSON.stringify({ time: now().toISOString(), level, msg, ...fields })}\n`);
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
}

import type { GatewayError } from "./errors.js";

export interface Usage {
  readonly prompt_tokens?: number;
  readonly completion_tokens?: number;
  readonly total_tokens?: number;
  /** The Responses API's names for the same counts. */
  readonly input_tokens?: number;
  readonly output_tokens?: number;
}

export interface SseRelayOptions {
  /**
   * The gateway asked the upstream for usage (`stream_options.include_usage`) although the
   * client did not: drop the usage-only chunk and the `"usage":null` fields so the client
   * receives exactly what it would have without our request.
   */
  readonly hideUsage: boolean;
  /** Called once, when the first chunk carrying content or a tool call passes. */
  readonly onFirstToken: () => void;
  /**
   * Longest event (in characters, before its blank line) the relay holds; a longer one is an
   * upstream error. OpenAI-style chunks are a few hundred bytes; a whole tool call in one chunk
   * stays far below this. @default 4194304 (4 Mi)
   */
  readonly maxEventLength?: number;
  /**
   * The Responses API's stream, whose events carry a `sequence_number`: the relay keeps the last
   * one, so that an error event the gateway adds continues the sequence. @default false
   */
  readonly sequenced?: boolean;
}

const FIRST_TOKEN = /"(?:content|tool_calls|reasoning_content)":\s*(?:"[^"]|\[)/;
const USAGE_OBJECT = /"usage":\s*\{/;
const SEQUENCE_NUMBER = /"sequence_number":\s*(\d+)/;
const DEFAULT_MAX_EVENT_LENGTH = 4 * 1024 * 1024;

/** The upstream sent an event longer than the relay holds. */
export class SseEventTooLong extends Error {
  constructor(limit: number) {
    super(`an event passed ${limit} characters without ending`);
    this.name = "SseEventTooLong";
  }
}

/**
 * Relays an OpenAI server-sent event stream chunk by chunk. It splits lines as the SSE spec
 * does (CRLF, LF or CR, even when a CRLF is split between chunks), reads usage from the final
 * chunk and times the first token. Without usage to hide it forwards the upstream's bytes as
 * they are; when it must hide usage it re-emits whole events (LF-framed), holding back only an
 * incomplete trailing event. Each byte is looked at once, so a long event costs linear time,
 * and an event may not grow past `maxEventLength`.
 */
export class SseRelay {
  usage: Usage | undefined;
  /** The last `sequence_number` relayed (Responses API streams, when `sequenced`); -1 before any. */
  lastSequenceNumber = -1;
  /** The current line, not yet terminated. */
  private line = "";
  /** The current event's complete lines, and their length with one terminator each. */
  private lines: string[] = [];
  private eventLength = 0;
  /** The last chunk ended in CR: a LF at the start of the next one ends nothing more. */
  private afterCr = false;
  private out = "";
  private sawFirstToken = false;
  private readonly maxEventLength: number;
  /** Per relay: its lastIndex is the scan's position. */
  private readonly lineEnd = /[\r\n]/g;
  private readonly decoder = new TextDecoder();

  constructor(private readonly options: SseRelayOptions) {
    this.maxEventLength = options.maxEventLength ?? DEFAULT_MAX_EVENT_LENGTH;
  }

  /** Takes upstream bytes; returns the bytes to send on now (possibly empty). Throws SseEventTooLong. */
  push(chunk: Uint8Array): Uint8Array {
    this.scan(this.decoder.decode(chunk, { stream: true }));
    return this.options.hideUsage ? this.takeOutput() : chunk;
  }

  /** Whatever is left when the upstream ends: an event without its closing blank line. */
  flush(): Uint8Array {
    this.scan(this.decoder.decode());
    if (this.line) this.endLine(this.line);
    this.line = "";
    this.endEvent();
    return this.options.hideUsage ? this.takeOutput() : EMPTY;
  }

  private scan(text: string): void {
    let start = 0;
    if (this.afterCr && text.length > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    const lineEnd = this.lineEnd;
    lineEnd.lastIndex = start;
    for (let match = lineEnd.exec(text); match; match = lineEnd.exec(text)) {
      const end = match.index;
      const line = this.line ? this.line + text.slice(start, end) : text.slice(start, end);
      this.line = "";
      start = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (start === text.length) this.afterCr = true;
        else if (text.charCodeAt(start) === LF) start += 1;
      }
      this.endLine(line);
      lineEnd.lastIndex = start;
    }
    if (start < text.length) {
      this.line += text.slice(start);
      if (this.eventLength + this.line.length > this.maxEventLength) throw new SseEventTooLong(this.maxEventLength);
    }
  }

  private endLine(line: string): void {
    if (line === "") {
      this.endEvent();
      return;
    }
    this.eventLength += line.length + 1;
    if (this.eventLength > this.maxEventLength) throw new SseEventTooLong(this.maxEventLength);
    this.lines.push(line);
  }

  /** A blank line: the event is complete. */
  private endEvent(): void {
    const lines = this.lines;
    if (lines.length === 0) return;
    this.lines = [];
    this.eventLength = 0;
    if (this.inspect(dataOf(lines)) && this.options.hideUsage) {
      for (const line of lines) this.out += `${line.replace(USAGE_NULL, "")}\n`;
      this.out += "\n";
    }
  }

  /** Reads usage and times the first token; false when the event is the usage chunk to hide. */
  private inspect(data: string | undefined): boolean {
    if (data === undefined || data === "[DONE]") return true;
    if (this.options.sequenced) {
      const sequence = SEQUENCE_NUMBER.exec(data);
      if (sequence) this.lastSequenceNumber = Number(sequence[1]);
    }
    if (!this.sawFirstToken && FIRST_TOKEN.test(data)) {
      this.sawFirstToken = true;
      this.options.onFirstToken();
    }
    if (!USAGE_OBJECT.test(data)) return true;
    try {
      const parsed = JSON.parse(data) as { usage?: Usage; choices?: unknown[]; response?: { usage?: Usage } };
      // Chat puts usage on a chunk; the Responses API on its response.completed event.
      const usage = parsed.usage ?? parsed.response?.usage;
      if (usage) this.usage = usage;
      return !(this.options.hideUsage && Array.isArray(parsed.choices) && parsed.choices.length === 0);
    } catch {
      // Not JSON: relay as is; the client sees what the upstream sent.
      return true;
    }
  }

  private takeOutput(): Uint8Array {
    if (!this.out) return EMPTY;
    const bytes = ENCODER.encode(this.out);
    this.out = "";
    return bytes;
  }
}

const EMPTY = new Uint8Array(0);
/** Stateless, so one for all streams: thousands of streams per pod each held their own. */
const ENCODER = new TextEncoder();
const CR = 13;
const LF = 10;
const USAGE_NULL = /,"usage":null|"usage":null,?/g;

/** The joined `data` fields of one event, or undefined if it has none. */
function dataOf(lines: readonly string[]): string | undefined {
  let data: string | undefined;
  for (const line of lines) {
    if (!line.startsWith("data")) continue;
    let value: string;
    if (line.length === 4) value = "";
    else if (line.charCodeAt(4) === COLON) value = line.slice(line.charCodeAt(5) === SPACE ? 6 : 5);
    else continue;
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}

const COLON = 58;
const SPACE = 32;

/**
 * An error inside a stream whose headers went out, in the stream's own dialect: a chat stream gets
 * a `data:` event with the error envelope, as OpenAI sends; a Responses API stream gets its
 * `error` event (openai@6.49.0 resources/responses/responses.d.ts, ResponseErrorEvent), numbered
 * after the last event relayed.
 */
export function streamErrorEvent(api: "chat" | "responses", error: GatewayError, relay: SseRelay): Buffer {
  if (api === "chat") return Buffer.from(`data: ${JSON.stringify(error.toEnvelope())}\n\n`);
  const event = { type: "error", code: error.code, message: error.message, param: error.param, sequence_number: relay.lastSequenceNumber + 1 };
  return Buffer.from(`event: error\ndata: ${JSON.stringify(event)}\n\n`);
}

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
   * Longest event (in bytes, before its blank line) the relay holds; a longer one is an
   * upstream error. OpenAI-style chunks are a few hundred bytes; a whole tool call in one chunk
   * stays far below this. @default 4194304 (4 MiB)
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
    super(`an event passed ${limit} bytes without ending`);
    this.name = "SseEventTooLong";
  }
}

/**
 * Relays an OpenAI server-sent event stream, one whole event at a time. It splits lines as the
 * SSE spec does (CRLF, LF or CR, even when a CRLF is split between chunks), reads usage from the
 * final chunk and times the first token. Without usage to hide it forwards the upstream's bytes
 * as they are, but only up to the end of the last complete event: a stream cut mid-event leaves
 * no half event in front of the error event the gateway then sends. When it must hide usage it
 * re-emits whole events (LF-framed). Either way it holds back only the incomplete trailing
 * event, each byte is looked at once (a long event costs linear time), and an event may not grow
 * past `maxEventLength`.
 */
export class SseRelay {
  usage: Usage | undefined;
  /** The last `sequence_number` relayed (Responses API streams, when `sequenced`); -1 before any. */
  lastSequenceNumber = -1;
  /** The current line's bytes from earlier chunks, not yet terminated. */
  private partialLine: Uint8Array[] = [];
  private partialLineBytes = 0;
  /** The current event's complete lines, and their size in bytes with one terminator each. */
  private lines: string[] = [];
  private eventBytes = 0;
  /** The last chunk ended in CR: a LF at the start of the next one ends nothing more. */
  private afterCr = false;
  /** Forwarding untouched: the bytes of the incomplete event from earlier chunks, sent once it completes. */
  private held: Uint8Array[] = [];
  private out = "";
  private sawFirstToken = false;
  private readonly maxEventLength: number;

  constructor(private readonly options: SseRelayOptions) {
    this.maxEventLength = options.maxEventLength ?? DEFAULT_MAX_EVENT_LENGTH;
  }

  /** Takes upstream bytes; returns the bytes to send on now (possibly empty). Throws SseEventTooLong. */
  push(chunk: Uint8Array): Uint8Array {
    const eventsEnd = this.scan(chunk);
    return this.options.hideUsage ? this.takeOutput() : this.releaseThrough(chunk, eventsEnd);
  }

  /** The upstream ended cleanly: whatever is left, an event without its closing blank line. */
  flush(): Uint8Array {
    const lineBytes = this.partialLineBytes;
    if (lineBytes > 0) this.endLine(this.takeLine(EMPTY, 0, 0), lineBytes);
    this.endEvent();
    if (this.options.hideUsage) return this.takeOutput();
    const rest = concat(this.held);
    this.held = [];
    return rest;
  }

  /** Splits the chunk into lines; returns the offset just past the last event it completed, or -1. */
  private scan(chunk: Uint8Array): number {
    const length = chunk.byteLength;
    let start = 0;
    let eventsEnd = -1;
    if (this.afterCr && length > 0) {
      this.afterCr = false;
      if (chunk[0] === LF) start = 1;
    }
    let lf = chunk.indexOf(LF, start);
    let cr = chunk.indexOf(CR, start);
    while (lf !== -1 || cr !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      let next = end + 1;
      if (end === cr) {
        if (next === length) this.afterCr = true;
        else if (chunk[next] === LF) next += 1;
      }
      const lineBytes = this.partialLineBytes + end - start;
      if (this.endLine(this.takeLine(chunk, start, end), lineBytes)) eventsEnd = next;
      start = next;
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
    }
    if (start < length) {
      this.partialLine.push(chunk.subarray(start));
      this.partialLineBytes += length - start;
      if (this.eventBytes + this.partialLineBytes > this.maxEventLength) throw new SseEventTooLong(this.maxEventLength);
    }
    return eventsEnd;
  }

  /** The line ending at `end`, with what earlier chunks held of it. Line endings are ASCII, so a line is whole UTF-8. */
  private takeLine(chunk: Uint8Array, start: number, end: number): string {
    const tail = chunk.subarray(start, end);
    if (this.partialLineBytes === 0) return DECODER.decode(tail);
    this.partialLine.push(tail);
    const line = DECODER.decode(concat(this.partialLine));
    this.partialLine = [];
    this.partialLineBytes = 0;
    return line;
  }

  /** Returns true when the line was blank: an event (if any) ended. */
  private endLine(line: string, bytes: number): boolean {
    if (bytes === 0) {
      this.endEvent();
      return true;
    }
    this.eventBytes += bytes + 1;
    if (this.eventBytes > this.maxEventLength) throw new SseEventTooLong(this.maxEventLength);
    this.lines.push(line);
    return false;
  }

  /** A blank line: the event is complete. */
  private endEvent(): void {
    const lines = this.lines;
    if (lines.length === 0) return;
    this.lines = [];
    this.eventBytes = 0;
    if (this.inspect(dataOf(lines)) && this.options.hideUsage) {
      for (const line of lines) this.out += `${line.replace(USAGE_NULL, "")}\n`;
      this.out += "\n";
    }
  }

  /** Forwarding untouched: the held bytes and this chunk's up to `eventsEnd`; the rest is held. */
  private releaseThrough(chunk: Uint8Array, eventsEnd: number): Uint8Array {
    if (eventsEnd === -1) {
      if (chunk.byteLength > 0) this.held.push(chunk);
      return EMPTY;
    }
    const complete = eventsEnd === chunk.byteLength ? chunk : chunk.subarray(0, eventsEnd);
    const out = this.held.length === 0 ? complete : concat([...this.held, complete]);
    this.held = eventsEnd < chunk.byteLength ? [chunk.subarray(eventsEnd)] : [];
    return out;
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

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 0) return EMPTY;
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

const EMPTY = new Uint8Array(0);
/**
 * Stateless, so one of each for all streams: thousands of streams per pod each held their own.
 * The decoder never decodes in streaming mode: it is only given whole lines.
 */
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();
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

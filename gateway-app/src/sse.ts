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
 * final chunk and times the first token. Events go on as the upstream's bytes, but only up to the
 * end of the last complete event: a stream cut mid-event leaves no half event in front of the
 * error event the gateway then sends. Only an event that carries `"usage"` is decoded (and, when
 * usage is hidden, re-emitted LF-framed without it), besides those read until the first token:
 * the other chunks of a stream, thousands a second per pod, are never turned into strings. It
 * holds back only the incomplete trailing event, each byte is looked at once (a long event costs
 * linear time), and an event may not grow past `maxEventLength`.
 */
export class SseRelay {
  usage: Usage | undefined;
  /** The last `sequence_number` relayed (Responses API streams, when `sequenced`); -1 before any. */
  lastSequenceNumber = -1;
  /** The incomplete event's bytes from earlier chunks, and how many. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** The current event's complete lines in bytes, one terminator each, and its unterminated line's bytes so far. */
  private eventBytes = 0;
  private lineBytes = 0;
  /** The last chunk ended in CR: a LF at the start of the next one ends nothing more. */
  private afterCr = false;
  /** The last event went on as the upstream sent it: a LF completing its final CRLF goes on too. */
  private lastSentAsIs = true;
  private sawFirstToken = false;
  private readonly maxEventLength: number;

  constructor(private readonly options: SseRelayOptions) {
    this.maxEventLength = options.maxEventLength ?? DEFAULT_MAX_EVENT_LENGTH;
  }

  /** Takes upstream bytes; returns the bytes to send on now (possibly empty). Throws SseEventTooLong. */
  push(chunk: Uint8Array): Uint8Array {
    const out: Uint8Array[] = [];
    const length = chunk.byteLength;
    let start = 0;
    let eventStart = 0;
    // This chunk's bytes from here to `eventStart` go on as they came.
    let sendFrom = 0;
    if (this.afterCr && length > 0) {
      this.afterCr = false;
      if (chunk[0] === LF) {
        start = 1;
        // The CR ended an event: this LF is the rest of its blank line, and goes where the event went.
        if (this.heldBytes === 0) {
          eventStart = 1;
          if (!this.lastSentAsIs) sendFrom = 1;
        }
      }
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
      const lineBytes = this.lineBytes + end - start;
      this.lineBytes = 0;
      if (lineBytes === 0) {
        const held = this.held;
        const verdict = this.endEvent(chunk.subarray(eventStart, next));
        if (verdict === AS_SENT) out.push(...held);
        else {
          if (eventStart > sendFrom) out.push(chunk.subarray(sendFrom, eventStart));
          if (verdict) out.push(verdict);
          sendFrom = next;
        }
        eventStart = next;
      } else {
        this.eventBytes += lineBytes + 1;
        if (this.eventBytes > this.maxEventLength) throw new SseEventTooLong(this.maxEventLength);
      }
      start = next;
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
    }
    if (start < length) {
      this.lineBytes += length - start;
      if (this.eventBytes + this.lineBytes > this.maxEventLength) throw new SseEventTooLong(this.maxEventLength);
    }
    if (eventStart > sendFrom) out.push(sendFrom === 0 && eventStart === length ? chunk : chunk.subarray(sendFrom, eventStart));
    if (eventStart < length) {
      this.held.push(chunk.subarray(eventStart));
      this.heldBytes += length - eventStart;
    }
    return concat(out);
  }

  /** The upstream ended cleanly: whatever is left, an event without its closing blank line. */
  flush(): Uint8Array {
    if (this.heldBytes === 0) return EMPTY;
    this.eventBytes += this.lineBytes;
    this.lineBytes = 0;
    const held = this.held;
    const verdict = this.endEvent(EMPTY);
    return verdict === AS_SENT ? concat(held) : (verdict ?? EMPTY);
  }

  /**
   * An event is complete (its blank line ends `tail`, after the held bytes): reads it when it must,
   * and says whether it goes on as sent, rewritten (the bytes to send instead), or not at all (undefined).
   */
  private endEvent(tail: Uint8Array): Uint8Array | undefined | typeof AS_SENT {
    const event = this.heldBytes === 0 ? tail : Buffer.concat([...this.held, tail]);
    const isEvent = this.eventBytes > 0;
    this.held = [];
    this.heldBytes = 0;
    this.eventBytes = 0;
    this.lastSentAsIs = true;
    // A blank line alone dispatches nothing: it goes on as it came.
    if (!isEvent) return AS_SENT;
    const bytes = asBuffer(event);
    if (this.options.sequenced) this.readSequenceNumber(bytes);
    const carriesUsage = bytes.indexOf(USAGE_KEY) !== -1;
    if (!carriesUsage && this.sawFirstToken) return AS_SENT;
    const lines = linesOf(DECODER.decode(event));
    const keep = this.inspect(dataOf(lines));
    if (!carriesUsage || !this.options.hideUsage) return AS_SENT;
    this.lastSentAsIs = false;
    if (!keep) return undefined;
    let text = "";
    for (const line of lines) text += `${line.replace(USAGE_NULL, "")}\n`;
    return ENCODER.encode(`${text}\n`);
  }

  /** A Responses API event's `sequence_number`, read from its bytes: every event has one, and decoding each cost more than relaying it. */
  private readSequenceNumber(event: Buffer): void {
    let at = event.indexOf(SEQUENCE_KEY);
    if (at === -1) return;
    at += SEQUENCE_KEY.byteLength;
    while (event[at] === SPACE || event[at] === TAB) at += 1;
    let value = 0;
    let digits = 0;
    for (; event[at] >= DIGIT_0 && event[at] <= DIGIT_9; at += 1, digits += 1) value = value * 10 + event[at] - DIGIT_0;
    if (digits > 0) this.lastSequenceNumber = value;
  }

  /** Reads usage and times the first token; false when the event is the usage chunk to hide. */
  private inspect(data: string | undefined): boolean {
    if (data === undefined || data === "[DONE]") return true;
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
}

/**
 * The bytes as a Buffer, for its native search (a view, no copy). A key searched for in JSON text
 * cannot be matched inside a string value: the quotes there are escaped.
 */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An event's lines, without their terminators and the blank line that ended it. */
function linesOf(text: string): string[] {
  return text.split(LINE_ENDING).filter((line) => line.length > 0);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 0) return EMPTY;
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

const EMPTY = new Uint8Array(0);
const USAGE_KEY = Buffer.from('"usage"');
const SEQUENCE_KEY = Buffer.from('"sequence_number":');
const TAB = 9;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** What endEvent says of an event that goes on as the upstream sent it. */
const AS_SENT = Symbol("as sent");
const LINE_ENDING = /\r\n|\r|\n/;
/**
 * Stateless, so one of each for all streams: thousands of streams per pod each held their own.
 * The decoder never decodes in streaming mode: it is only given whole events.
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

/**
 * An incremental reader of HTTP/1.1 answers (RFC 9112) for the upstream client: the status line and
 * header section, then the body as its framing says: Content-Length, chunked, read to the close, or
 * none. Strict where being lenient could mis-frame an answer (conflicting lengths, bad chunk sizes,
 * folded headers): such an answer is a ProtocolError and its connection is not used again.
 */

export interface ResponseHead {
  readonly status: number;
  /** Lower-cased names; a repeated header's values joined with ", ", or its first kept (FIRST_WINS). */
  readonly headers: Record<string, string>;
  /** Whether the connection may carry another request once this answer is read. */
  readonly keepAlive: boolean;
  /** The server's `Keep-Alive: timeout=`, in ms, when it sent one. */
  readonly keepAliveMs: number | undefined;
}

/** Where the parser hands what it read; called synchronously from `push`. */
export interface ResponseSink {
  onHead(head: ResponseHead): void;
  onBody(chunk: Buffer): void;
  onComplete(): void;
}

export class ProtocolError extends Error {
  constructor(message: string) {
    super(`malformed answer from the upstream: ${message}`);
    this.name = "ProtocolError";
  }
}

/** node's own default (--max-http-header-size): larger heads are refused, as node's client did. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** A chunk-size line with its extensions, or one trailer line. */
const MAX_LINE_BYTES = 4096;
/** 12 hex digits: up to 256 TiB, far past any answer and well inside a safe integer. No space before an extension, as llhttp. */
const CHUNK_SIZE = /^([0-9a-fA-F]{1,12})(?:;.*)?$/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DIGITS = /^\d{1,15}$/;
/**
 * What node's header check refuses in a value (lib/_http_common.js checkInvalidHeaderChar), CR and
 * LF above all: in the upstream's answers, and in the requests the client writes.
 */
export const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/**
 * Every line of a header section, in one pass: a token, a colon, a value of what INVALID_HEADER_VALUE
 * allows, a line end. Linear: the value's class holds neither CR nor LF.
 */
const HEADER_LINES = /^(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e\x80-\xff]*\r\n)*$/;

/**
 * Fields of which node's client keeps the first value and drops repeats (lib/_http_incoming.js
 * matchKnownFields, node 24.22: the names it returns without a join flag), as its answers did
 * before this parser; any other repeat is joined with ", ". Content-Length is not here: repeats of
 * it are joined, then refused unless they agree (framingOf).
 */
const FIRST_WINS: ReadonlySet<string> = new Set([
  "age",
  "authorization",
  "content-type",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "user-agent",
]);

enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
  Done,
  Stopped,
}

export class ResponseParser {
  private state = State.Head;
  /** Head bytes received so far, while the head is incomplete. */
  private partialHead: Buffer | undefined;
  /** Body bytes left: of the whole body (Content-Length) or of the current chunk. */
  private remaining = 0;
  /** A chunk-size or trailer line cut by a packet boundary. */
  private line = "";
  /** Bytes arrived after the answer was complete: the connection cannot be trusted again. */
  private overran = false;

  constructor(private readonly sink: ResponseSink) {}

  /** True once the whole answer has been read. */
  get complete(): boolean {
    return this.state === State.Done;
  }

  /** True when the upstream sent bytes beyond its answer. */
  get overrun(): boolean {
    return this.overran;
  }

  /** Stops handing anything more to the sink (the exchange was abandoned). */
  stop(): void {
    if (this.state !== State.Done) this.state = State.Stopped;
  }

  /** Reads `data`; throws ProtocolError when the answer is malformed. */
  push(data: Buffer): void {
    let at = 0;
    while (at < data.length) {
      switch (this.state) {
        case State.Head:
          at = this.readHead(data, at);
          break;
        case State.Length:
        case State.ChunkData:
          at = this.readBody(data, at);
          break;
        case State.ChunkSize:
          at = this.readLine(data, at, this.onChunkSize);
          break;
        case State.ChunkEnd:
          at = this.readLine(data, at, this.onChunkEnd);
          break;
        case State.Trailers:
          at = this.readLine(data, at, this.onTrailer);
          break;
        case State.UntilClose:
          this.sink.onBody(slice(data, at, data.length));
          at = data.length;
          break;
        case State.Done:
          this.overran = true;
          return;
        case State.Stopped:
          return;
      }
    }
  }

  /**
   * The connection ended. Completes an answer read to the close; returns whether the answer is
   * complete (false: it was cut short).
   */
  finish(): boolean {
    if (this.state === State.UntilClose) this.finishBody();
    return this.state === State.Done;
  }

  private readHead(data: Buffer, at: number): number {
    const previous = this.partialHead?.length ?? 0;
    const buffer = this.partialHead ? Buffer.concat([this.partialHead, data.subarray(at)]) : at === 0 ? data : data.subarray(at);
    const end = headEnd(buffer, Math.max(0, previous - 3));
    if (end === undefined) {
      if (buffer.length > MAX_HEAD_BYTES) throw new ProtocolError(`a header section over ${MAX_HEAD_BYTES} bytes`);
      // Socket reads are fresh buffers, so the head's start is kept as a view, not copied.
      this.partialHead = buffer;
      return data.length;
    }
    if (end.head > MAX_HEAD_BYTES) throw new ProtocolError(`a header section over ${MAX_HEAD_BYTES} bytes`);
    this.partialHead = undefined;
    const consumed = at + end.next - previous;
    this.startBody(parseHead(buffer.toString("latin1", 0, end.head)));
    return consumed;
  }

  private startBody(head: ParsedHead): void {
    if (head.status < 200) {
      // An interim answer (100 Continue, 103 Early Hints): the real one follows.
      if (head.status === 101) throw new ProtocolError("101 Switching Protocols, which was never asked for");
      return;
    }
    this.sink.onHead(head);
    if (this.state === State.Stopped) return;
    switch (head.framing) {
      case "none":
        this.finishBody();
        return;
      case "length":
        this.remaining = head.length;
        this.state = State.Length;
        if (head.length === 0) this.finishBody();
        return;
      case "chunked":
        this.state = State.ChunkSize;
        return;
      case "close":
        this.state = State.UntilClose;
    }
  }

  /** Hands on the body bytes of the Content-Length or of the current chunk that `data` holds. */
  private readBody(data: Buffer, at: number): number {
    const state = this.state;
    const end = Math.min(data.length, at + this.remaining);
    this.remaining -= end - at;
    this.sink.onBody(slice(data, at, end));
    // Unless the sink stopped the parser meanwhile.
    if (this.remaining === 0 && this.state === state) {
      if (state === State.Length) this.finishBody();
      else this.state = State.ChunkEnd;
    }
    return end;
  }

  private finishBody(): void {
    this.state = State.Done;
    this.sink.onComplete();
  }

  /**
   * Reads up to the end of a line (CRLF: node's llhttp refuses a bare LF, and so does this) and hands
   * it to `onLine`; keeps a line cut by the packet's end for the next push. Returns where reading stopped.
   */
  private readLine(data: Buffer, at: number, onLine: (line: string) => void): number {
    const lf = data.indexOf(LF, at);
    const piece = data.toString("latin1", at, lf === -1 ? data.length : lf);
    if (this.line.length + piece.length > MAX_LINE_BYTES) throw new ProtocolError(`a chunk line over ${MAX_LINE_BYTES} bytes`);
    if (lf === -1) {
      this.line += piece;
      return data.length;
    }
    const line = this.line + piece;
    this.line = "";
    if (!line.endsWith("\r")) throw new ProtocolError("a line ending in LF without CR");
    onLine(line.slice(0, -1));
    return lf + 1;
  }

  private readonly onChunkSize = (line: string) => {
    const match = CHUNK_SIZE.exec(line);
    if (!match) throw new ProtocolError(`a chunk size of ${JSON.stringify(line.slice(0, 40))}`);
    this.remaining = Number.parseInt(match[1], 16);
    this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
  };

  private readonly onChunkEnd = (line: string) => {
    if (line !== "") throw new ProtocolError("a chunk longer than its size");
    this.state = State.ChunkSize;
  };

  private readonly onTrailer = (line: string) => {
    // Trailer fields are read past, not used.
    if (line === "") this.finishBody();
  };
}

const LF = 0x0a;
const CR = 0x0d;

interface ParsedHead extends ResponseHead {
  readonly framing: "length" | "chunked" | "close" | "none";
  readonly length: number;
}

/** Where the header section ends (its blank line), and where the body starts; undefined if not yet. */
function headEnd(buffer: Buffer, from: number): { head: number; next: number } | undefined {
  const crlf = buffer.indexOf("\r\n\r\n", from, "latin1");
  const lf = buffer.indexOf("\n\n", from, "latin1");
  if (crlf === -1 && lf === -1) return undefined;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { head: crlf, next: crlf + 4 };
  return { head: lf, next: lf + 2 };
}

function parseHead(text: string): ParsedHead {
  const firstLineEnd = text.indexOf("\n");
  if (firstLineEnd !== -1 && text.charCodeAt(firstLineEnd - 1) !== CR) throw new ProtocolError("a line ending in LF without CR");
  const statusLine = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd - 1);
  const status = STATUS_LINE.exec(statusLine);
  if (!status) throw new ProtocolError(`a status line of ${JSON.stringify(statusLine.slice(0, 40))}`);
  const headers: Record<string, string> = {};
  if (firstLineEnd !== -1) {
    const section = text.slice(firstLineEnd + 1);
    // One pass of the pattern checks every line; a refusal is then explained line by line.
    if (!HEADER_LINES.test(`${section}\r\n`)) throw headerRefusal(`${section}\r\n`);
    for (const line of section.split("\r\n")) {
      const colon = line.indexOf(":");
      const key = line.slice(0, colon).toLowerCase();
      const value = owsTrimmed(line, colon + 1);
      // typeof, not `in`: a header named like an Object.prototype member (constructor) is not a repeat.
      const previous = headers[key];
      if (typeof previous !== "string") headers[key] = value;
      else if (!FIRST_WINS.has(key)) headers[key] = `${previous}, ${value}`;
    }
  }
  const code = Number(status[2]);
  const http10 = status[1] === "0";
  const connection = (headers.connection ?? "").toLowerCase();
  const framing = framingOf(code, headers);
  const keepAlive =
    framing.framing !== "close" &&
    (http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close")) &&
    // Both lengths given: the chunked framing is read, and the connection closed after (RFC 9112 §6.1).
    !(headers["transfer-encoding"] !== undefined && headers["content-length"] !== undefined);
  const hint = /(?:^|[\s,])timeout=(\d+)/i.exec(headers["keep-alive"] ?? "");
  return { status: code, headers, keepAlive, keepAliveMs: hint ? Number(hint[1]) * 1000 : undefined, ...framing };
}

/** How the body is delimited (RFC 9112 §6.3), for an answer to a POST. */
function framingOf(status: number, headers: Record<string, string>): Pick<ParsedHead, "framing" | "length"> {
  if (status < 200 || status === 204 || status === 304) return { framing: "none", length: 0 };
  const transferEncoding = headers["transfer-encoding"];
  if (transferEncoding !== undefined) {
    const codings = transferEncoding.toLowerCase().split(",");
    return { framing: codings[codings.length - 1].trim() === "chunked" ? "chunked" : "close", length: 0 };
  }
  const contentLength = headers["content-length"];
  if (contentLength === undefined) return { framing: "close", length: 0 };
  // Repeated (joined with ", ") is accepted only when every value is the same.
  const values = new Set(contentLength.split(",").map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || !DIGITS.test(only)) throw new ProtocolError(`a Content-Length of ${JSON.stringify(contentLength.slice(0, 40))}`);
  return { framing: "length", length: Number(only) };
}

/**
 * Why the header section (its last CRLF included) failed HEADER_LINES: the first line that is not
 * a field, holds a control character or ends without CR.
 */
function headerRefusal(section: string): ProtocolError {
  const lines = section.split("\n").slice(0, -1);
  for (const raw of lines) {
    if (raw.charCodeAt(raw.length - 1) !== CR) return new ProtocolError("a line ending in LF without CR");
    const line = raw.slice(0, -1);
    const colon = line.indexOf(":");
    // A line starting with whitespace continues the one before (obs-fold): refused, as RFC 9112 §5.2 allows.
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) return new ProtocolError(`a header line of ${JSON.stringify(line.slice(0, 40))}`);
    if (INVALID_HEADER_VALUE.test(line.slice(colon + 1)))
      return new ProtocolError(`a control character in the ${line.slice(0, colon).toLowerCase()} header`);
  }
  return new ProtocolError("a carriage return inside a header line");
}

/** A field value without the optional whitespace around it (RFC 9110 §5.6.3): spaces and tabs only. */
function owsTrimmed(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && isOws(line.charCodeAt(start))) start++;
  while (end > start && isOws(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function hasToken(list: string, token: string): boolean {
  return list.split(",").some((item) => item.trim() === token);
}

/** A view of `data` without a copy; the whole buffer itself when it is all body (the usual case). */
function slice(data: Buffer, start: number, end: number): Buffer {
  return start === 0 && end === data.length ? data : data.subarray(start, end);
}

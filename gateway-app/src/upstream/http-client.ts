import type { BodyLimit } from "../message-body.js";
import { type Connection, ConnectionPool, type ConnectionUser, type Waiter } from "./connection-pool.js";
import { INVALID_HEADER_VALUE, ResponseParser, type ResponseHead, type ResponseSink } from "./response-parser.js";
import { UpstreamFailure, type ChunkHandler, type UpstreamResponse } from "./types.js";

/** Where requests go, parsed once rather than per request. */
export interface Endpoint {
  readonly https: boolean;
  readonly hostname: string;
  readonly port: number;
  /** Path prefix without a trailing slash, e.g. "/v1". */
  readonly basePath: string;
  /** The Host header: the hostname (an IPv6 one bracketed) and the port unless it is the scheme's. */
  readonly hostHeader: string;
}

export function parseEndpoint(baseUrl: string): Endpoint {
  const url = new URL(baseUrl);
  const isHttps = url.protocol === "https:";
  return {
    https: isHttps,
    // IPv6 literals come bracketed from URL; net.connect wants them bare.
    hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : isHttps ? 443 : 80,
    basePath: url.pathname.replace(/\/+$/, ""),
    hostHeader: url.host,
  };
}

export interface HttpRequest {
  readonly endpoint: Endpoint;
  readonly path: string;
  /** Every header to send, content-length included. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly signal: AbortSignal;
  readonly timeouts: RequestTimeouts;
}

/** The deadlines of one attempt; first byte and total count from `acceptedAt`. */
export interface RequestTimeouts {
  /** When the gateway accepted the request, on the `now` clock of the client. */
  readonly acceptedAt: number;
  readonly connectMs: number;
  readonly firstByteMs: number;
  readonly totalMs: number;
  readonly idleMs: number;
}

export interface HttpClientOptions {
  /** Connections per upstream host. */
  readonly maxSockets: number;
  /** How long an idle pooled connection is kept. */
  readonly idleSocketTimeoutMs: number;
  /** @default performance.timeOrigin + performance.now(), the app's clock */
  readonly now?: () => number;
}

/**
 * A keep-alive HTTP/1.1 client on plain sockets (TLS for https), with its own connection pool and
 * answer parser (response-parser.ts). node's http.request costs about a third of the gateway's CPU
 * per proxied request when requests come one at a time: it copies its options twice into
 * dictionary-mode objects, runs every header through setHeader's checks, and builds an
 * IncomingMessage stream per answer. Enforces connect, first-byte, total and idle timeouts, also
 * while a request waits for a pooled connection.
 */
export class HttpClient {
  private readonly pools = new Map<string, ConnectionPool>();
  private readonly now: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
  }

  request(req: HttpRequest): Promise<UpstreamResponse> {
    const now = this.now();
    // Past its deadline (after a retry's wait), a request is not sent at all: sent and then
    // abandoned, the model could still run it and bill it.
    if (now - req.timeouts.acceptedAt >= req.timeouts.firstByteMs)
      return Promise.reject(new UpstreamFailure("queued_timeout", `${firstByteTimeout(req.timeouts).message}, before it could be sent again`));
    const invalid = invalidHeader(req.headers);
    if (invalid) return Promise.reject(new UpstreamFailure("connect", `the ${invalid} header holds a character HTTP does not allow`));
    return new Promise((resolve, reject) => new Exchange(req, this.poolFor(req.endpoint), now, resolve, reject));
  }

  close(): void {
    for (const pool of this.pools.values()) pool.destroy();
  }

  private poolFor(endpoint: Endpoint): ConnectionPool {
    const key = `${endpoint.https ? "https" : "http"}://${endpoint.hostHeader}`;
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = new ConnectionPool(endpoint, this.options)));
    return pool;
  }
}

/** What the body's reader does with what arrives: set once `readAll` or `forEachChunk` is called. */
interface BodyReader {
  chunk(chunk: Buffer): void;
  end(): void;
  fail(error: unknown): void;
}

/** Body bytes kept for a reader not yet attached before the connection stops being read. */
const UNREAD_BODY_BYTES = 64 * 1024;

/**
 * One request and its answer, with every deadline that applies to them. Once the head is in, the
 * exchange itself is the UpstreamResponse: one object per request on the hot path.
 */
class Exchange implements UpstreamResponse, ResponseSink, ConnectionUser, Waiter {
  status = 502;
  headers: Record<string, string | undefined> = {};
  private failure?: UpstreamFailure;
  private readonly totalTimer: NodeJS.Timeout;
  private firstByteTimer?: NodeJS.Timeout;
  private connectTimer?: NodeJS.Timeout;
  private connection?: Connection;
  private readonly parser = new ResponseParser(this);
  private head?: ResponseHead;
  /** The answer was read to its end, or the exchange failed: the connection is released. */
  private done = false;
  /** Our bytes handed to the socket: whether the upstream may have got anything of this request. */
  private bytesBefore = 0;
  private reader?: BodyReader;
  private unread: Buffer[] = [];
  private unreadBytes = 0;
  /** Reading paused because no reader has taken the body yet. */
  private unreadPaused = false;
  private bodyComplete = false;

  constructor(
    private readonly req: HttpRequest,
    private readonly pool: ConnectionPool,
    now: number,
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    const { timeouts } = req;
    // From acceptance, not from now: time queued for a connection or spent on earlier attempts counts.
    const elapsed = now - timeouts.acceptedAt;
    // Static handlers with the exchange as argument: no closures per request for the timers.
    this.totalTimer = setTimeout(Exchange.totalTimeout, Math.max(0, timeouts.totalMs - elapsed), this);
    this.firstByteTimer = setTimeout(Exchange.firstByteTimeout, Math.max(0, timeouts.firstByteMs - elapsed), this);
    if (req.signal.aborted) {
      queueMicrotask(this.onAbort);
      return;
    }
    req.signal.addEventListener("abort", this.onAbort, { once: true });
    pool.acquire(this);
  }

  /** Never called once the exchange failed: fail() withdraws it from the pool's waiters. */
  assign(connection: Connection): void {
    this.connection = connection;
    connection.use(this);
    const socket = connection.socket;
    // A pooled connection the server has closed is not written to: nothing of ours went out.
    if (connection.reused && (!socket.writable || socket.readableEnded)) {
      this.fail(new UpstreamFailure("connect", `${this.origin()}: the pooled connection had closed`));
      return;
    }
    if (!connection.connected) {
      const { connectMs } = this.req.timeouts;
      this.connectTimer = setTimeout(Exchange.connectTimeout, connectMs, this);
    }
    this.bytesBefore = socket.bytesWritten;
    socket.cork();
    socket.write(requestHead(this.req), "latin1");
    socket.write(this.req.body);
    socket.uncork();
  }

  /**
   * The body's chunks as they arrive. While a promise `onChunk` returned is pending, reading pauses,
   * and so does the idle deadline: the upstream's silence is then ours. A failure mid-body surfaces
   * as what caused it.
   */
  forEachChunk(onChunk: ChunkHandler): Promise<void> {
    if (!this.head) return Promise.reject(new Error("the response has not arrived"));
    return new Promise((resolve, reject) => {
      const queue: Buffer[] = [];
      let holding = false;
      let ended = false;
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
      const drain = () => {
        while (!settled && !holding && queue.length > 0) {
          let pending: Promise<void> | undefined;
          try {
            pending = onChunk(queue.shift()!);
          } catch (error) {
            settle(error);
            this.abort();
            return;
          }
          if (pending) {
            holding = true;
            this.holdBack(true);
            pending.then(release, release);
          }
        }
        if (!holding && ended) settle();
      };
      const release = () => {
        holding = false;
        drain();
        if (!holding && !settled) this.holdBack(false);
      };
      this.attach({
        chunk: (chunk) => {
          queue.push(chunk);
          drain();
        },
        end: () => {
          ended = true;
          drain();
        },
        fail: settle,
      });
    });
  }

  readAll(limit?: BodyLimit): Promise<Buffer> {
    if (!this.head) return Promise.reject(new Error("the response has not arrived"));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let total = 0;
      let refused = false;
      this.attach({
        chunk: (chunk) => {
          if (refused) return;
          total += chunk.byteLength;
          if (limit && total > limit.bytes) {
            refused = true;
            reject(limit.error());
            this.abort();
            return;
          }
          chunks.push(chunk);
        },
        end: () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total)),
        fail: reject,
      });
    });
  }

  /** Also when the body's reader gives up on it: the connection, mid-answer, cannot be reused. */
  abort(): void {
    this.fail(new UpstreamFailure("aborted", "stopped reading"));
  }

  // ResponseSink: what the parser read.

  onHead(head: ResponseHead): void {
    clearTimeout(this.firstByteTimer);
    this.head = head;
    this.status = head.status;
    this.headers = head.headers;
    this.connection?.socket.setTimeout(this.req.timeouts.idleMs);
    this.resolve(this);
  }

  onBody(chunk: Buffer): void {
    if (this.reader) {
      this.reader.chunk(chunk);
      return;
    }
    this.unread.push(chunk);
    this.unreadBytes += chunk.byteLength;
    if (this.unreadBytes > UNREAD_BODY_BYTES && !this.unreadPaused) {
      this.unreadPaused = true;
      this.connection?.socket.pause();
    }
  }

  onComplete(): void {
    this.bodyComplete = true;
    this.cleanUp();
    this.reader?.end();
  }

  // ConnectionUser: what happened to the socket.

  onConnect(): void {
    clearTimeout(this.connectTimer);
  }

  onData(data: Buffer): void {
    try {
      this.parser.push(data);
    } catch (error) {
      this.fail(new UpstreamFailure("reset", `${this.origin()}: ${(error as Error).message}`, { cause: error }));
      return;
    }
    // Released only after the whole packet is read: bytes past the answer make the connection unfit.
    if (this.parser.complete && !this.done) {
      this.done = true;
      const head = this.head!;
      const connection = this.connection!;
      // An answer given before our body was all written (an early 413 or 401): the rest of it would
      // reach the server ahead of the next request on this connection, so the connection goes.
      const requestWritten = connection.socket.writableLength === 0;
      this.pool.release(connection, head.keepAlive && !this.parser.overrun && requestWritten, head.keepAliveMs);
    }
  }

  onEnd(): void {
    if (this.head && this.parser.finish() && !this.done) {
      this.done = true;
      this.connection?.destroy();
    }
  }

  onError(error: NodeJS.ErrnoException): void {
    this.fail(this.connectionLost(error.code ?? error.message, error));
  }

  onClose(): void {
    // No failure (and its stack trace) made for nothing.
    if (!this.done) this.fail(this.connectionLost("socket hang up"));
  }

  onTimeout(): void {
    this.fail(new UpstreamFailure("idle_timeout", `no data for ${this.req.timeouts.idleMs} ms`));
  }

  private static totalTimeout(exchange: Exchange): void {
    exchange.fail(new UpstreamFailure("total_timeout", `no complete answer within ${exchange.req.timeouts.totalMs} ms`));
  }

  private static firstByteTimeout(exchange: Exchange): void {
    exchange.fail(firstByteTimeout(exchange.req.timeouts));
  }

  private static connectTimeout(exchange: Exchange): void {
    exchange.fail(new UpstreamFailure("connect_timeout", `could not connect within ${exchange.req.timeouts.connectMs} ms`));
  }

  private readonly onAbort = () => this.fail(new UpstreamFailure("aborted", "the client went away"));

  /** Hands the body read so far, and what follows, to its reader. */
  private attach(reader: BodyReader): void {
    if (this.reader) throw new Error("the body is read once");
    this.reader = reader;
    // Before the chunks are handed on: a reader that holds them back pauses reading again.
    if (this.unreadPaused) {
      this.unreadPaused = false;
      // Once the answer is complete the connection is back in the pool, and no longer ours to resume.
      if (!this.done) this.connection?.socket.resume();
    }
    const unread = this.unread;
    this.unread = [];
    this.unreadBytes = 0;
    for (const chunk of unread) reader.chunk(chunk);
    if (this.bodyComplete) reader.end();
    else if (this.failure) reader.fail(this.failure);
  }

  /** Pauses or resumes reading while the client holds a stream back; the idle deadline waits too. */
  private holdBack(holding: boolean): void {
    const socket = this.connection?.socket;
    if (!socket || this.done) return;
    if (holding) {
      socket.pause();
      socket.setTimeout(0);
    } else {
      socket.setTimeout(this.req.timeouts.idleMs);
      socket.resume();
    }
  }

  /** The connection broke: mid-body a reset; before the head, `connect` if provably nothing was sent. */
  private connectionLost(detail: string, cause?: unknown): UpstreamFailure {
    if (this.head) return new UpstreamFailure("reset", "connection closed before the body was complete", { cause });
    return new UpstreamFailure(this.nothingSent() ? "connect" : "reset", `${this.origin()}: ${detail}`, { cause });
  }

  /**
   * True when the upstream provably got nothing of this request: no connection, one that never
   * completed its handshake, or a pooled one that closed before any of our bytes went into it.
   */
  private nothingSent(): boolean {
    const connection = this.connection;
    if (!connection?.connected) return true;
    return connection.socket.bytesWritten === this.bytesBefore;
  }

  /**
   * Ends the exchange with a failure. Before the head it rejects at once, also while the request
   * waits for a pooled connection; after it, the body's reader gets the failure.
   */
  private fail(failure: UpstreamFailure): void {
    if (this.done) return;
    this.done = true;
    this.failure = this.beforeSending(failure);
    this.cleanUp();
    this.parser.stop();
    this.pool.withdraw(this);
    this.connection?.destroy();
    // Before the head, the request's promise; after it, the body's reader, now or once it attaches.
    if (!this.head) this.reject(this.failure);
    else this.reader?.fail(this.failure);
  }

  /**
   * A deadline that passed before the request could be written is not the model's slowness:
   * still queued for a pooled connection it is a `queued_timeout`, still connecting a `connect_timeout`.
   */
  private beforeSending(failure: UpstreamFailure): UpstreamFailure {
    if (!failure.isTimeout || this.head) return failure;
    if (this.connection?.connected) return failure;
    if (this.connection) return new UpstreamFailure("connect_timeout", `${failure.message}, still connecting`);
    return new UpstreamFailure(
      "queued_timeout",
      `${failure.message}, waiting for one of the ${this.pool.maxSockets} connections to the upstream (UPSTREAM_MAX_SOCKETS)`,
    );
  }

  private cleanUp(): void {
    clearTimeout(this.totalTimer);
    clearTimeout(this.firstByteTimer);
    clearTimeout(this.connectTimer);
    this.req.signal.removeEventListener("abort", this.onAbort);
  }

  private origin(): string {
    return `${this.req.endpoint.hostname}:${this.req.endpoint.port}`;
  }
}

/**
 * The request line and header section: Host first, and Connection: keep-alive as node's keep-alive
 * agent sends it (HTTP/1.1 keeps connections by default; a server or proxy speaking 1.0 does not).
 */
function requestHead(req: HttpRequest): string {
  const { endpoint, headers } = req;
  let head = `POST ${endpoint.basePath}${req.path} HTTP/1.1\r\nhost: ${endpoint.hostHeader}\r\nconnection: keep-alive\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  return `${head}\r\n`;
}

/** The first header whose value could not be sent as it is (a CR or LF would split the head). */
function invalidHeader(headers: Readonly<Record<string, string>>): string | undefined {
  // One pattern run over all the values: the usual answer is none.
  let values = "";
  for (const name in headers) values += headers[name];
  if (!INVALID_HEADER_VALUE.test(values)) return undefined;
  for (const name in headers) if (INVALID_HEADER_VALUE.test(headers[name])) return name;
  return undefined;
}

function firstByteTimeout(timeouts: RequestTimeouts): UpstreamFailure {
  return new UpstreamFailure("first_byte_timeout", `no response within ${timeouts.firstByteMs} ms`);
}

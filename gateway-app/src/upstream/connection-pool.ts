import net from "node:net";
import tls from "node:tls";
import type { Endpoint } from "./http-client.js";

/** What uses a connection for one exchange; the connection forwards its socket's events to it. */
export interface ConnectionUser {
  onConnect(): void;
  onData(data: Buffer): void;
  onEnd(): void;
  onError(error: NodeJS.ErrnoException): void;
  onClose(): void;
  onTimeout(): void;
}

/** A request waiting for a connection; the pool calls `assign` once it has one. */
export interface Waiter {
  assign(connection: Connection): void;
}

export interface PoolOptions {
  /** Connections open at once, idle ones included. */
  readonly maxSockets: number;
  /** How long an idle connection is kept. */
  readonly idleSocketTimeoutMs: number;
  /** Idle connections kept at most. @default 256 */
  readonly maxFreeSockets?: number;
}

/** TCP keep-alive probes on pooled connections after this much silence, as node's http.Agent sends them. */
const TCP_KEEP_ALIVE_MS = 1000;
/**
 * How long before the server's announced `Keep-Alive: timeout=` an idle connection is given up,
 * so that it is never reused just as the server closes it (node's agentKeepAliveTimeoutBuffer).
 */
const KEEP_ALIVE_HINT_MARGIN_MS = 1000;

/**
 * One socket to the upstream, with its listeners attached once: they hand the socket's events to
 * the exchange using it, if any. An idle connection that gets data, ends or times out is closed.
 */
export class Connection {
  readonly socket: net.Socket;
  /** True once the TCP (and TLS) handshake is done. */
  connected = false;
  /** True from its second exchange on. */
  reused = false;
  private user: ConnectionUser | undefined;

  constructor(
    private readonly pool: ConnectionPool,
    endpoint: Endpoint,
  ) {
    this.socket = endpoint.https
      ? tls.connect({
          host: endpoint.hostname,
          port: endpoint.port,
          servername: net.isIP(endpoint.hostname) ? undefined : endpoint.hostname,
          ALPNProtocols: ["http/1.1"],
        })
      : net.connect({ host: endpoint.hostname, port: endpoint.port });
    this.socket.setNoDelay(true);
    // Once per socket: each call is a setsockopt, and parking happens once per request.
    this.socket.setKeepAlive(true, TCP_KEEP_ALIVE_MS);
    this.socket.once(endpoint.https ? "secureConnect" : "connect", this.onConnect);
    this.socket.on("data", this.onData);
    this.socket.on("end", this.onEnd);
    this.socket.on("error", this.onError);
    this.socket.on("close", this.onClose);
    this.socket.on("timeout", this.onTimeout);
  }

  /** Hands the connection to an exchange. */
  use(user: ConnectionUser): void {
    this.user = user;
    this.socket.ref();
    this.socket.setTimeout(0);
    // Handed on straight from an exchange that had paused it (its reader was holding the body back).
    this.socket.resume();
  }

  /** Keeps the connection idle for `idleMs`; it no longer holds the process open. */
  park(idleMs: number): void {
    this.user = undefined;
    this.socket.resume();
    this.socket.setTimeout(idleMs);
    this.socket.unref();
  }

  destroy(): void {
    this.user = undefined;
    this.socket.destroy();
  }

  private readonly onConnect = () => {
    this.connected = true;
    this.user?.onConnect();
  };

  private readonly onData = (data: Buffer) => {
    if (this.user) this.user.onData(data);
    // Bytes on an idle connection answer nothing we asked: it can no longer be trusted.
    else this.socket.destroy();
  };

  private readonly onEnd = () => {
    if (this.user) this.user.onEnd();
    else this.pool.forget(this);
  };

  private readonly onError = (error: NodeJS.ErrnoException) => {
    // An idle connection's error is followed by its close, which takes it out of the pool.
    this.user?.onError(error);
  };

  private readonly onClose = () => {
    const user = this.user;
    this.user = undefined;
    this.pool.closed(this);
    user?.onClose();
  };

  private readonly onTimeout = () => {
    if (this.user) this.user.onTimeout();
    else this.socket.destroy();
  };
}

/**
 * Keep-alive connections to one upstream origin: at most `maxSockets` open, requests beyond the
 * limit queued in arrival order. Idle ones are reused first in, first out: every connection a
 * burst opened stays in turn while the traffic reaches each within the idle timeout, and they go
 * only once it falls below that. Last in, first out (node's Agent default) left those at the
 * bottom idle until the 4 s timeout closed them and the next burst opened new ones: ~12 new
 * connections a second at a steady 2,000 req/s, whose dead sockets (old by then) cost each
 * Mark-Compact 10-19 ms of weak-handle processing in a 13-25 ms pause; without the churn those
 * pauses were 2-5 ms. A reused socket is never idle longer than the idle timeout either way.
 */
export class ConnectionPool {
  private readonly idle: Connection[] = [];
  /** Open or connecting, idle ones included. */
  private readonly all = new Set<Connection>();
  /** A Set keeps arrival order and lets a waiter that gives up leave in O(1). */
  private readonly waiting = new Set<Waiter>();
  private readonly maxFreeSockets: number;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly options: PoolOptions,
  ) {
    this.maxFreeSockets = options.maxFreeSockets ?? 256;
  }

  get maxSockets(): number {
    return this.options.maxSockets;
  }

  /** Gives the waiter a connection now (idle or new) or once one frees. */
  acquire(waiter: Waiter): void {
    const idle = this.idle.shift();
    if (idle) {
      waiter.assign(idle);
      return;
    }
    if (this.all.size < this.options.maxSockets) {
      waiter.assign(this.connect());
      return;
    }
    this.waiting.add(waiter);
  }

  /** A waiter that gave up (its deadline, the client leaving) before it got a connection. */
  withdraw(waiter: Waiter): boolean {
    return this.waiting.delete(waiter);
  }

  /**
   * An exchange is done with its connection. A reusable one goes to the next waiter or to the idle
   * list, for the idle timeout or the server's shorter `Keep-Alive` hint; any other is closed.
   */
  release(connection: Connection, reusable: boolean, keepAliveHintMs?: number): void {
    const idleMs = this.idleMsFor(keepAliveHintMs);
    if (!reusable || idleMs === 0 || connection.socket.destroyed) {
      connection.destroy();
      return;
    }
    connection.reused = true;
    const next = this.nextWaiter();
    if (next) {
      next.assign(connection);
      return;
    }
    if (this.idle.length >= this.maxFreeSockets) {
      connection.destroy();
      return;
    }
    connection.park(idleMs);
    this.idle.push(connection);
  }

  /** An idle connection the server ended: not to be handed out again. */
  forget(connection: Connection): void {
    this.removeIdle(connection);
    connection.destroy();
  }

  /** A connection's socket closed: its place goes to the next waiter. */
  closed(connection: Connection): void {
    this.removeIdle(connection);
    this.all.delete(connection);
    const next = this.all.size < this.options.maxSockets ? this.nextWaiter() : undefined;
    if (next) next.assign(this.connect());
  }

  /** Closes every connection, in use or idle. */
  destroy(): void {
    this.waiting.clear();
    // Through the socket, so that an exchange still using one hears of the close.
    for (const connection of this.all) connection.socket.destroy();
  }

  private removeIdle(connection: Connection): void {
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
  }

  private connect(): Connection {
    const connection = new Connection(this, this.endpoint);
    this.all.add(connection);
    return connection;
  }

  private nextWaiter(): Waiter | undefined {
    for (const waiter of this.waiting) {
      this.waiting.delete(waiter);
      return waiter;
    }
    return undefined;
  }

  private idleMsFor(hintMs: number | undefined): number {
    if (hintMs === undefined) return this.options.idleSocketTimeoutMs;
    return Math.max(0, Math.min(this.options.idleSocketTimeoutMs, hintMs - KEEP_ALIVE_HINT_MARGIN_MS));
  }
}

import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { GatewayError } from "./errors.js";
import { SECURITY_HEADERS } from "./respond.js";

/** What the app is given besides the request: node's own request and response, which every handler answers on. */
export interface NodeBindings {
  readonly incoming: IncomingMessage;
  readonly outgoing: ServerResponse;
}

/** The app's entry point (Hono's `app.fetch`), served from node:http. */
export type NodeFetch = (request: Request, env: NodeBindings) => unknown;

/**
 * The request as the app reads it: its method, its URL (Hono routes on the path it cuts from the
 * URL string) and its headers, straight from node:http's parse. Nothing else of a web Request.
 */
class NodeRequest {
  readonly method: string;
  readonly url: string;

  constructor(
    private readonly incoming: IncomingMessage,
    path: string,
  ) {
    this.method = appMethod(incoming.method);
    // Only the path and query are read; the host part is never looked at.
    this.url = `http://gateway${path}`;
  }

  /** For Hono's `c.req.header()`: repeated values joined with ", " as a web Headers would. */
  get headers(): { get(name: string): string | null } {
    const headers = this.incoming.headers;
    return {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    };
  }
}

/**
 * A node:http request listener that hands each request to the app. The app answers on the
 * ServerResponse itself (its error handler included); a request it leaves unanswered, or a
 * failure that escapes it, gets a 500 envelope rather than a connection left hanging.
 */
export function nodeListener(fetch: NodeFetch): RequestListener {
  return (incoming, outgoing) => {
    const path = originForm(incoming.url ?? "");
    if (path === undefined)
      return answerOutsideApp(outgoing, new GatewayError("invalid_request", "The request target must be a path, such as /v1/chat/completions"));
    let result: unknown;
    try {
      result = fetch(new NodeRequest(incoming, path) as unknown as Request, { incoming, outgoing });
    } catch {
      return unanswered(outgoing);
    }
    if (result instanceof Promise)
      result.then(
        () => unanswered(outgoing),
        () => unanswered(outgoing),
      );
    else unanswered(outgoing);
  };
}

/**
 * HEAD is routed as GET. node's ServerResponse drops the body of any answer to HEAD itself
 * (lib/_http_server.js, ServerResponse: `if (req.method === 'HEAD') this._hasBody = false`), so the
 * GET handler's head goes out as it is, Content-Length included. Hono's own HEAD path instead wraps
 * the GET answer in a web Response, which loads node's undici (~4 MiB resident) on the first HEAD.
 * Logs, metrics and spans take the method from node's request, so they still say HEAD.
 */
function appMethod(method: string | undefined): string {
  return method === undefined || method === "HEAD" ? "GET" : method;
}

/** The path and query of a request target in origin form, or of an absolute URL (a client talking to a proxy); else undefined. */
function originForm(target: string): string | undefined {
  if (target.charCodeAt(0) === SLASH) return target;
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

const SLASH = 47;

/** Answers 500 only when nothing was sent: the app's handlers answer before they return. */
function unanswered(outgoing: ServerResponse): void {
  if (outgoing.headersSent || outgoing.writableEnded) return;
  answerOutsideApp(outgoing, new GatewayError("internal_error", "Internal error"));
}

/** For answers given outside the app (this listener's, the metrics port's): the envelope and the security headers every answer carries. */
export function answerOutsideApp(outgoing: ServerResponse, error: GatewayError): void {
  const body = JSON.stringify(error.toEnvelope());
  outgoing.writeHead(error.status, { ...SECURITY_HEADERS, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  outgoing.end(body);
}

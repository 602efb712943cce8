import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { GatewayError, type ErrorCode } from "./errors.js";
import http from "./node-http.js";

/** Node's own answers to requests it could not parse, by the error it reports. */
const PROTOCOL_ERRORS: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  HPE_HEADER_OVERFLOW: { code: "request_header_fields_too_large", message: "The request headers are too large" },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { code: "payload_too_large", message: "The request's chunk extensions are too large" },
  ERR_HTTP_REQUEST_TIMEOUT: { code: "request_timeout", message: "The request did not arrive in time" },
};
const MALFORMED = { code: "invalid_request" as const, message: "The request is not valid HTTP/1.1" };

/**
 * Answers what node:http rejects before any route runs (malformed requests, oversized headers,
 * slow requests) in the OpenAI envelope, as every other error is, instead of Node's bare 400,
 * 431 and 408. Replaces Node's default `clientError` behaviour, which it mirrors otherwise.
 */
export function answerProtocolErrors(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const response = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || response?.headersSent) {
      socket.destroy();
      return;
    }
    const known = PROTOCOL_ERRORS[error.code ?? ""] ?? MALFORMED;
    const failure = new GatewayError(known.code, known.message);
    const body = JSON.stringify(failure.toEnvelope());
    socket.end(
      `HTTP/1.1 ${failure.status} ${http.STATUS_CODES[failure.status]}\r\n` +
        "Content-Type: application/json\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        "X-Content-Type-Options: nosniff\r\n" +
        "Connection: close\r\n\r\n" +
        body,
    );
  });
}

// The open loop's load generator: requests at a fixed rate on keep-alive connections, each one
// pre-built bytes written to a plain socket, its answer framed by Content-Length or chunked
// encoding and otherwise not parsed. Node's http client, in the benchmark's own process, took a
// fifth of a core at 2,000 req/s on the 2-core machine, CPU that the gateway and the upstream
// then queued behind and that the added latency counted as the gateway's; this takes a tenth.
// In production the gateway's client is Kong (nginx). Plain JavaScript in plain node, as the
// reference proxy, so no loader runs in the process that times the requests.
//
// node open-loop-client.mjs <port> <rate per second> <seconds> [<warm-up seconds>, default 1]
//   OPEN_LOOP_BODY  the JSON body POSTed to OPEN_LOOP_PATH (default /v1/chat/completions)
// The warm-up runs at the same rate on the same connections and is not timed: a fresh process's
// first requests ran its code cold and opened its connections, and in every round the slowest
// run of requests was its first 10-20 ms. Prints one JSON line, for the timed seconds: latency p50
// and p99 in ms, counted from the moment each request was due (a slow answer cannot hide the
// requests queued behind it), requests answered other than 200 or lost with their connection (the
// warm-up's included), the rate answered, and this process's share of one core.
import net from "node:net";

const [port, rate, seconds, warmUpSeconds = 1] = process.argv.slice(2).map(Number);
if (![port, rate, seconds].every((n) => Number.isInteger(n) && n > 0) || !(Number.isInteger(warmUpSeconds) && warmUpSeconds >= 0)) {
  console.error(
    "usage: node open-loop-client.mjs <port> <rate per second> <seconds> [<warm-up seconds>] (whole numbers, all but the warm-up above 0)",
  );
  process.exit(2);
}
const body = process.env.OPEN_LOOP_BODY ?? "{}";
const path = process.env.OPEN_LOOP_PATH ?? "/v1/chat/completions";
const requestBytes = Buffer.from(
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
);
// As many as the benchmark's node:http agent allowed; past them, requests wait for a connection.
const MAX_CONNECTIONS = 512;
const HEAD_END = Buffer.from("\r\n\r\n");

const warmUp = rate * warmUpSeconds;
const total = warmUp + rate * seconds;
const latencies = new Float64Array(total - warmUp);
let answered = 0;
let warmedUp = 0;
let failed = 0;
let open = 0;
const idle = [];
/** Requests (by their place in the schedule) that found every connection busy. */
const waiting = [];

/** One keep-alive connection and the answer it is reading. */
function connect() {
  open += 1;
  const conn = { socket: net.connect({ host: "127.0.0.1", port, noDelay: true }), request: undefined, received: undefined };
  conn.socket.on("data", (data) => receive(conn, data));
  conn.socket.on("error", () => {});
  conn.socket.on("close", () => {
    open -= 1;
    const at = idle.indexOf(conn);
    if (at >= 0) idle.splice(at, 1);
    if (conn.request !== undefined) settle(conn, undefined);
    if (waiting.length > 0) send(connect(), waiting.shift());
  });
  return conn;
}

function send(conn, request) {
  conn.request = request;
  conn.received = undefined;
  conn.socket.write(requestBytes);
}

function receive(conn, data) {
  if (conn.request === undefined) return conn.socket.destroy();
  conn.received = conn.received === undefined ? data : Buffer.concat([conn.received, data]);
  const answer = complete(conn.received);
  if (answer === undefined) return;
  if (answer === "malformed") return conn.socket.destroy();
  settle(conn, answer.status);
  if (answer.close) conn.socket.destroy();
  else if (waiting.length > 0) send(conn, waiting.shift());
  else idle.push(conn);
}

/** The status and connection rule of a whole answer in `bytes`; undefined while more is due. */
function complete(bytes) {
  const headEnd = bytes.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const head = bytes.latin1Slice(0, headEnd);
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection:\s*close/i.test(head);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const bodyStart = headEnd + HEAD_END.length;
  if (length) return bytes.length >= bodyStart + Number(length[1]) ? { status, close } : undefined;
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) return "malformed";
  return chunkedEnd(bytes, bodyStart) ? { status, close } : undefined;
}

/** Whether a chunked body starting at `at` has arrived whole (its last chunk, no trailers). */
function chunkedEnd(bytes, at) {
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at);
    if (lineEnd < 0) return false;
    const size = Number.parseInt(bytes.latin1Slice(at, lineEnd), 16);
    if (size === 0) return bytes.length >= lineEnd + 4;
    at = lineEnd + 2 + size + 2;
    if (at > bytes.length) return false;
  }
}

function settle(conn, status) {
  const request = conn.request;
  conn.request = undefined;
  if (status !== 200) failed += 1;
  else if (request < warmUp) warmedUp += 1;
  else latencies[answered++] = performance.now() - dueTime(request);
  if (warmedUp + answered + failed === total) finish();
}

/** When the schedule has a request go out. */
function dueTime(request) {
  return start + (request * 1000) / rate;
}

const start = performance.now();
let timedFrom = warmUp === 0 ? { at: start, cpu: process.cpuUsage() } : undefined;
let sent = 0;
const timer = setInterval(() => {
  const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
  for (; sent < due; sent++) {
    if (sent === warmUp) timedFrom ??= { at: performance.now(), cpu: process.cpuUsage() };
    const conn = idle.pop() ?? (open < MAX_CONNECTIONS ? connect() : undefined);
    if (conn === undefined) waiting.push(sent);
    else send(conn, sent);
  }
  if (sent >= total) clearInterval(timer);
}, 1);

function finish() {
  const wallSeconds = (performance.now() - timedFrom.at) / 1000;
  const cpu = process.cpuUsage(timedFrom.cpu);
  const sorted = latencies.subarray(0, answered).sort();
  const percentile = (p) => (answered === 0 ? null : sorted[Math.min(answered - 1, Math.ceil((p / 100) * answered) - 1)]);
  const result = {
    p50: percentile(50),
    p99: percentile(99),
    answered,
    failed,
    achieved: (total - warmUp) / wallSeconds,
    cpuShare: (cpu.user + cpu.system) / 1e6 / wallSeconds,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

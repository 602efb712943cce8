// Loopback OpenAI-compatible upstream for the load benchmark. By model: "slow-stream" streams
// one small chunk every LOAD_CHUNK_INTERVAL_MS, LOAD_CHUNKS times; "slow-json" answers after
// LOAD_SLOW_JSON_MS (a model thinking while large requests pile up); anything else gets a fixed
// JSON answer at once.
import http from "node:http";

const CHUNKS = Number(process.env.LOAD_CHUNKS ?? 20);
const INTERVAL_MS = Number(process.env.LOAD_CHUNK_INTERVAL_MS ?? 1000);
const SLOW_JSON_MS = Number(process.env.LOAD_SLOW_JSON_MS ?? 2000);

const answer = (model: string) =>
  JSON.stringify({
    id: "chatcmpl-load",
    object: "chat.completion",
    created: 1700000000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: "load answer" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
  });
const chunk = (content: string) =>
  `data: {"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"slow-stream","choices":[{"index":0,` +
  `"delta":{"content":"${content}"},"finish_reason":null}]}\n\n`;
const usage =
  `data: {"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"slow-stream","choices":[],"usage":{"prompt_tokens":10,` +
  `"completion_tokens":${CHUNKS},"total_tokens":${10 + CHUNKS}}}\n\n`;
const fast = answer("fast");

function json(res: http.ServerResponse, body: string): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function slowStream(res: http.ServerResponse, withUsage: boolean): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  let sent = 0;
  const next = () => {
    if (res.destroyed) return;
    res.write(chunk(`word${sent} `));
    sent += 1;
    if (sent < CHUNKS) setTimeout(next, INTERVAL_MS);
    else res.end(`${withUsage ? usage : ""}data: [DONE]\n\n`);
  };
  next();
}

const server = http.createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on("data", (d: Buffer) => parts.push(d));
  req.on("end", () => {
    // Only the head of the body is looked at: the model comes first in the bench's requests.
    const head = Buffer.concat(parts).subarray(0, 200).toString("utf8");
    if (head.includes('"model":"slow-stream"')) return slowStream(res, Buffer.concat(parts).includes('"include_usage":true'));
    if (head.includes('"model":"slow-json"')) return void setTimeout(() => json(res, answer("slow-json")), SLOW_JSON_MS);
    json(res, fast);
  });
});
server.keepAliveTimeout = 60_000;
// As deep a backlog as the gateway's (LISTEN_BACKLOG): with Node's 511, the gateway's burst of
// upstream connections waited for SYN retransmits here, which timed this stand-in, not the gateway.
server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () =>
  console.log(JSON.stringify({ port: (server.address() as { port: number }).port })),
);

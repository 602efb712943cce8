// A fast loopback OpenAI-compatible upstream for the gateway benchmark: a fixed JSON answer,
// or a five-chunk stream, written as soon as the request body has arrived.
import http from "node:http";

const json = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1700000000,
  model: "bench",
  choices: [{ index: 0, message: { role: "assistant", content: "benchmark answer" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
});
const event = (payload: object) => `data: ${JSON.stringify(payload)}\n\n`;
const base = { id: "c", object: "chat.completion.chunk", created: 1700000000, model: "bench" };
const chunk = (content: string) => event({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const usage = event({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
const stream = ["one ", "two ", "three ", "four ", "five"].map(chunk).join("");

const server = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    if (body.includes('"stream":true')) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(stream);
      res.end((body.includes('"include_usage":true') ? usage : "") + "data: [DONE]\n\n");
    } else {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
      res.end(json);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));

// The reference: the smallest useful Node proxy, node:http in and out with a keep-alive pool,
// no parsing, no policies. It is the practical ceiling for a proxy written in Node. Plain
// JavaScript: node's own type stripping loads a WebAssembly compiler (~16 MiB of RSS) that would
// count in the memory it is compared by.
import http from "node:http";

const target = new URL(process.env.UPSTREAM_URL);
// 512 as gateway-app's default pool; the long-streams case raises both to the stream count.
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(process.env.REFERENCE_MAX_SOCKETS ?? 512) });

const server = http.createServer((req, res) => {
  const outgoing = http.request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
    (incoming) => {
      res.writeHead(incoming.statusCode ?? 502, incoming.headers);
      incoming.pipe(res);
    },
  );
  outgoing.on("error", () => {
    res.writeHead(502);
    res.end();
  });
  req.pipe(outgoing);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));

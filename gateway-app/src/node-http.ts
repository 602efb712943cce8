import { createRequire } from "node:module";

/**
 * node:http, required rather than imported. An ES import of node:http builds its module
 * namespace, which reads every export, `http.WebSocket` and its siblings among them: node
 * defines those as lazy getters that load its bundled undici (lib/http.js, lazyWebSocket;
 * nodejs/node#53721, and #59686 for the import cost): ~4 MiB of resident memory in gateway-app
 * (81.8 -> 85.7 MiB idle, Node 24.22.3; 42 -> 59 MiB for a bare `node -e`), for a WebSocket client
 * it never uses. `require` returns the module object and reads nothing. Type imports of node:http
 * are erased and stay as they are.
 */
const http: typeof import("node:http") = createRequire(import.meta.url)("node:http");

export default http;

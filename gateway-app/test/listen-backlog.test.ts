import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "./support/harness.js";

// The kernel completes handshakes for a listener whose process is busy, up to its backlog (plus
// one); the rest of a burst is dropped and waits for SYN retransmits (1 s, 3 s, 7 s...).
const gateways: TestGateway[] = [];
afterEach(async () => {
  for (const gw of gateways.splice(0)) {
    gw.gateway.child.kill("SIGCONT");
    await gw.gateway.shutdown();
  }
});

/**
 * How many of `count` connections the kernel completes while the gateway process is stopped,
 * given up to `ms` (a loaded machine is slow to run this side's callbacks). Dropped ones stay
 * dropped: their SYN retransmits meet the same full queue.
 */
async function handshakesWhileStopped(gw: TestGateway, count: number, ms = 3000): Promise<number> {
  gw.gateway.child.kill("SIGSTOP");
  const sockets: net.Socket[] = [];
  let connected = 0;
  for (let i = 0; i < count; i++) {
    const socket = net.connect(gw.gateway.port, "127.0.0.1", () => (connected += 1));
    socket.on("error", () => undefined);
    sockets.push(socket);
  }
  for (const deadline = Date.now() + ms; connected < count && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
  for (const socket of sockets) socket.destroy();
  gw.gateway.child.kill("SIGCONT");
  return connected;
}

describe("listen backlog", () => {
  it("by default queues a burst of 600 new connections, beyond Node's own backlog of 511", async () => {
    const gw = await startTestGateway({});
    gateways.push(gw);
    expect(await handshakesWhileStopped(gw, 600)).toBe(600);
  }, 60_000);

  it("takes LISTEN_BACKLOG", async () => {
    const gw = await startTestGateway({ LISTEN_BACKLOG: "8" });
    gateways.push(gw);
    const connected = await handshakesWhileStopped(gw, 100);
    expect(connected).toBeGreaterThanOrEqual(8);
    expect(connected).toBeLessThanOrEqual(10);
  }, 60_000);
});

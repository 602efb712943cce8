import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { MAX_HEAD_BYTES, ProtocolError, ResponseParser, type ResponseHead } from "../src/upstream/response-parser.js";

interface Parsed {
  heads: ResponseHead[];
  body: string;
  completed: number;
  parser: ResponseParser;
}

/** Feeds `answer` to a parser in the pieces that `cuts` (byte offsets) make. */
function parse(answer: string | Buffer, cuts: number[] = []): Parsed {
  const bytes = typeof answer === "string" ? Buffer.from(answer, "latin1") : answer;
  const out: Parsed = { heads: [], body: "", completed: 0, parser: undefined as unknown as ResponseParser };
  const parser = new ResponseParser({
    onHead: (head) => out.heads.push(head),
    onBody: (chunk) => (out.body += chunk.toString("latin1")),
    onComplete: () => (out.completed += 1),
  });
  out.parser = parser;
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

/** Every way of cutting `answer` in two, and byte by byte. */
function everyCut(answer: string): number[][] {
  const cuts: number[][] = [];
  for (let i = 1; i < answer.length; i++) cuts.push([i]);
  cuts.push(Array.from({ length: answer.length - 1 }, (_, i) => i + 1));
  return cuts;
}

const LENGTH_ANSWER = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}';
const CHUNKED_ANSWER =
  "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" +
  '5;name=value\r\nhello\r\n6;q="a b"\r\n world\r\nA\r\n, and more\r\n0\r\nX-Trailer: t\r\n\r\n';

describe("ResponseParser framing", () => {
  it("reads a Content-Length answer cut anywhere, byte by byte included", () => {
    for (const cuts of everyCut(LENGTH_ANSWER)) {
      const { heads, body, completed } = parse(LENGTH_ANSWER, cuts);
      expect(heads).toHaveLength(1);
      expect(heads[0]).toEqual({
        status: 200,
        headers: { "content-type": "application/json", "content-length": "11" },
        keepAlive: true,
        keepAliveMs: undefined,
        framing: "length",
        length: 11,
      });
      expect(body).toBe('{"ok":true}');
      expect(completed).toBe(1);
    }
  });

  it("reads a chunked answer with chunk extensions and trailers, cut anywhere", () => {
    for (const cuts of everyCut(CHUNKED_ANSWER)) {
      const { heads, body, completed, parser } = parse(CHUNKED_ANSWER, cuts);
      expect(heads.map((h) => [h.status, h.keepAlive])).toEqual([[200, true]]);
      expect(body).toBe("hello world, and more");
      expect(completed).toBe(1);
      expect(parser.overrun).toBe(false);
    }
  });

  it("passes a whole-body packet on as it is, without a copy", () => {
    const seen: Buffer[] = [];
    const parser = new ResponseParser({ onHead: () => {}, onBody: (chunk) => seen.push(chunk), onComplete: () => {} });
    parser.push(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n", "latin1"));
    const body = Buffer.from("abcdef");
    parser.push(body);
    expect(seen[0]).toBe(body);
  });

  it("skips interim answers (100, 103) and reads the final one", () => {
    const { heads, body } = parse(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
    );
    expect(heads.map((h) => h.status)).toEqual([201]);
    expect(body).toBe("ok");
  });

  it("refuses a bare LF anywhere a line ends, as node's llhttp does", () => {
    for (const answer of [
      "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
      "HTTP/1.1 200 OK\r\nX-A: a\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX: y\n\r\n",
    ])
      expect(() => parse(answer)).toThrow(/line ending in LF without CR/);
  });

  it("reads an answer with neither length nor chunking to the close, and never reuses its connection", () => {
    const parsed = parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it");
    expect(parsed.heads[0].keepAlive).toBe(false);
    expect(parsed.completed).toBe(0);
    expect(parsed.parser.finish()).toBe(true);
    expect(parsed.body).toBe("all of it");
    expect(parsed.completed).toBe(1);
  });

  it("gives 204 and 304 no body, whatever they declare", () => {
    for (const status of ["204 No Content", "304 Not Modified"]) {
      const { completed, body, parser } = parse(`HTTP/1.1 ${status}\r\nContent-Length: 5\r\n\r\n`);
      expect([completed, body, parser.complete]).toEqual([1, "", true]);
    }
  });

  it("says a body cut short is not complete", () => {
    const cut = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf");
    expect(cut.parser.finish()).toBe(false);
    expect(cut.completed).toBe(0);
    const chunked = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
    expect(chunked.parser.finish()).toBe(false);
  });

  it("marks bytes past the end of the answer, so that the connection is not used again", () => {
    const { parser, body } = parse(`${LENGTH_ANSWER}HTTP/1.1 200 OK\r\n`);
    expect(body).toBe('{"ok":true}');
    expect(parser.overrun).toBe(true);
  });

  it("hands nothing more on once stopped", () => {
    const seen: string[] = [];
    const parser = new ResponseParser({
      onHead: () => {
        seen.push("head");
        parser.stop();
      },
      onBody: () => seen.push("body"),
      onComplete: () => seen.push("complete"),
    });
    parser.push(Buffer.from(LENGTH_ANSWER, "latin1"));
    expect(seen).toEqual(["head"]);
  });
});

describe("ResponseParser connection rules", () => {
  const head = (answer: string) => parse(answer).heads[0];

  it("keeps HTTP/1.1 connections unless the answer says close, and HTTP/1.0 ones only when it says keep-alive", () => {
    expect(head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(true);
    expect(head("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(false);
    expect(head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(false);
    expect(head("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(true);
  });

  it("reads the server's Keep-Alive timeout in ms", () => {
    expect(head("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n").keepAliveMs).toBe(5000);
    expect(head("HTTP/1.1 200 OK\r\nKeep-Alive: max=100\r\nContent-Length: 0\r\n\r\n").keepAliveMs).toBeUndefined();
  });

  it("reads chunked framing over a Content-Length, and then closes the connection (RFC 9112 §6.1)", () => {
    const { heads, body } = parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
    expect(body).toBe("ok");
    expect(heads[0].keepAlive).toBe(false);
  });

  it("trims spaces and tabs around values only, and takes a header named like an Object member for itself", () => {
    const { heads } = parse("HTTP/1.1 200 OK\r\nX-A: \t one  two \t\r\nConstructor: c\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n");
    expect(heads[0].headers).toEqual({ "x-a": "one  two", constructor: "c", "x-empty": "", "content-length": "0" });
  });

  it("joins a repeated header's values, and accepts a repeated Content-Length that agrees", () => {
    const { heads, body } = parse("HTTP/1.1 200 OK\r\nVary: a\r\nVary: b\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok");
    expect(heads[0].headers.vary).toBe("a, b");
    expect(body).toBe("ok");
  });
});

describe("ResponseParser refusals", () => {
  const refusal = (answer: string | Buffer) => {
    try {
      parse(answer);
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      return (error as Error).message;
    }
    throw new Error("the answer was accepted");
  };

  it("refuses answers that could be framed two ways", () => {
    expect(refusal("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok")).toMatch(/Content-Length of "2, 3"/);
    expect(refusal("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")).toMatch(/Content-Length/);
    expect(refusal("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n")).toMatch(/Content-Length/);
  });

  it("refuses bad chunk sizes and chunks longer than they said", () => {
    expect(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")).toMatch(/chunk size of "zz"/);
    expect(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\n")).toMatch(/chunk size of "5 "/);
    expect(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\t;a\r\n")).toMatch(/chunk size/);
    expect(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000\r\n")).toMatch(/chunk size/);
    expect(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n")).toMatch(/longer than its size/);
  });

  it("refuses folded headers, control characters, bad status lines, 101 and heads past 16 KiB", () => {
    expect(refusal("HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n")).toMatch(/header line/);
    expect(refusal("HTTP/1.1 200 OK\r\nX-A: o\x01ne\r\nContent-Length: 0\r\n\r\n")).toMatch(/control character in the x-a header/);
    expect(refusal("HTTP/1.1 200 OK\r\nX-A: o\rne\r\nContent-Length: 0\r\n\r\n")).toMatch(/control character in the x-a header/);
    expect(refusal("HTTP/1.1 200 OK\r\n: nameless\r\nContent-Length: 0\r\n\r\n")).toMatch(/header line of ": nameless"/);
    expect(refusal("HTTP/2 200\r\n\r\n")).toMatch(/status line/);
    expect(refusal("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")).toMatch(/101/);
    const big = `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(MAX_HEAD_BYTES)}\r\n`;
    expect(refusal(big)).toMatch(/header section over 16384 bytes/);
    expect(MAX_HEAD_BYTES).toBe(16384);
  });
});

describe("ResponseParser against node's own HTTP client", () => {
  /** A small deterministic generator (an LCG), so that a failing case can be replayed. */
  function random(seed: number) {
    let state = seed;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    return { int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] };
  }

  const NAMES = ["X-Trace", "x-trace", "Vary", "Retry-After", "Content-Type", "Server", "Cache-Control", "X-Litellm-Model", "Age"];
  const VALUES = ["a", "two words", "\tpadded\t", " lead", "trail ", "1", "text/event-stream; charset=utf-8", "é-latin1", ""];

  /** An answer as a server might frame it: random status, headers (repeats included), body and framing. */
  function answerFor(seed: number): Buffer {
    const r = random(seed);
    const status = r.pick(["200 OK", "201 Created", "404 Not Found", "429 Too Many Requests", "500 Internal Server Error"]);
    const lines = [`HTTP/1.1 ${status}`];
    for (let i = r.int(7); i > 0; i--) lines.push(`${r.pick(NAMES)}:${r.pick(["", " ", "  "])}${r.pick(VALUES)}`);
    const body = `${"x".repeat(r.int(300))}é`;
    const bytes = Buffer.from(body, "latin1");
    if (r.int(2) === 0) return Buffer.concat([Buffer.from(`${[...lines, `Content-Length: ${bytes.length}`].join("\r\n")}\r\n\r\n`, "latin1"), bytes]);
    let chunked = "";
    for (let at = 0; at < bytes.length; ) {
      const size = Math.min(bytes.length - at, 1 + r.int(60));
      // A space before an extension is among them: node refuses it, and so must the parser.
      chunked += `${size.toString(16)}${r.pick(["", ";ext=1", ';q="a b"', "", "", " ;a"])}\r\n${bytes.toString("latin1", at, at + size)}\r\n`;
      at += size;
    }
    chunked += `0\r\n${r.pick(["", "X-Trailer: t\r\n"])}\r\n`;
    return Buffer.from(`${[...lines, "Transfer-Encoding: chunked"].join("\r\n")}\r\n\r\n${chunked}`, "latin1");
  }

  /** What node's http.request makes of the same bytes, from a loopback server that sends them. */
  async function nodeReads(answer: Buffer): Promise<{ status: number; headers: Record<string, string>; body: string } | { refused: true }> {
    const server = net.createServer((socket) => socket.once("data", () => socket.end(answer)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      return await new Promise((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port: (server.address() as net.AddressInfo).port, method: "POST", agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
            resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks).toString("latin1") });
          });
        });
        // llhttp's refusal (HPE_*), which the parser must match with its own.
        req.on("error", (error: NodeJS.ErrnoException) => (error.code?.startsWith("HPE_") ? resolve({ refused: true }) : reject(error)));
        req.end("{}");
      });
    } finally {
      server.close();
    }
  }

  it("reads 80 generated answers, cut at random, as node's http.request does: same status, headers and body, or both refuse", async () => {
    let refused = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const answer = answerFor(seed);
      const expected = await nodeReads(answer);
      const cut = 1 + random(seed * 7).int(answer.length - 1);
      let ours: object;
      try {
        const read = parse(answer, [cut]);
        ours = { status: read.heads[0]?.status, headers: read.heads[0]?.headers, body: read.body, completed: read.completed };
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
        ours = { refused: true };
      }
      if ("refused" in expected) refused += 1;
      expect({ seed, ...ours }).toEqual({ seed, ...expected, ...("refused" in expected ? {} : { completed: 1 }) });
    }
    // Both kinds of case occurred: accepted answers and ones node refuses.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(80);
  });
});

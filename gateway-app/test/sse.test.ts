import { describe, expect, it } from "vitest";
import { SseRelay } from "../src/sse.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function relay(hideUsage: boolean) {
  let firstTokens = 0;
  const r = new SseRelay({ hideUsage, onFirstToken: () => (firstTokens += 1) });
  return { r, firstTokens: () => firstTokens };
}

const CHUNK = 'data: {"choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}\n\n';
const USAGE = 'data: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}\n\n';

describe("SseRelay", () => {
  it("forwards bytes untouched when it need not hide usage, and still reads usage", () => {
    const { r, firstTokens } = relay(false);
    const input = enc(CHUNK + USAGE + "data: [DONE]\n\n");
    expect(r.push(input)).toBe(input);
    expect(r.usage).toEqual({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
    expect(firstTokens()).toBe(1);
  });

  it("hides the usage chunk and the usage:null fields it caused", () => {
    const { r } = relay(true);
    const out = dec(r.push(enc(CHUNK + USAGE + "data: [DONE]\n\n")));
    expect(out).toBe('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n');
    expect(r.usage?.total_tokens).toBe(6);
  });

  it("reassembles events split across chunks, holding back only the incomplete one", () => {
    const { r } = relay(true);
    const whole = CHUNK + USAGE;
    const cut = CHUNK.length + 10;
    expect(dec(r.push(enc(whole.slice(0, cut))))).toBe('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n');
    expect(dec(r.push(enc(whole.slice(cut))))).toBe("");
    expect(r.usage?.prompt_tokens).toBe(4);
  });

  it("reads usage from a final event without a trailing blank line", () => {
    const { r } = relay(false);
    r.push(enc(USAGE.trimEnd()));
    r.flush();
    expect(r.usage?.completion_tokens).toBe(2);
  });

  it("handles a multibyte character split between chunks, in either mode", () => {
    for (const hideUsage of [true, false]) {
      const { r, firstTokens } = relay(hideUsage);
      const bytes = enc('data: {"choices":[{"delta":{"content":"é"}}]}\n\n');
      const split = bytes.indexOf(0xc3) + 1;
      const out = dec(r.push(bytes.slice(0, split))) + dec(r.push(bytes.slice(split)));
      expect(out).toBe('data: {"choices":[{"delta":{"content":"é"}}]}\n\n');
      expect(firstTokens()).toBe(1);
    }
  });

  it("sends on a chunk of events without usage as the same bytes once the first token is past, even when it hides usage", () => {
    const { r, firstTokens } = relay(true);
    r.push(enc('data: {"choices":[{"delta":{"content":"a"}}]}\n\n'));
    expect(firstTokens()).toBe(1);
    const input = enc('data: {"choices":[{"delta":{"content":"b"}}]}\n\ndata: {"choices":[{"delta":{"content":"c"}}]}\n\n');
    expect(r.push(input)).toBe(input);
  });

  it("keeps a Responses stream's last sequence_number, read from each event's bytes, whatever the spacing", () => {
    const r = new SseRelay({ hideUsage: false, sequenced: true, onFirstToken: () => undefined });
    expect(r.lastSequenceNumber).toBe(-1);
    r.push(enc('event: response.created\ndata: {"type":"response.created","sequence_number":0}\n\n'));
    expect(r.lastSequenceNumber).toBe(0);
    r.push(enc('event: response.output_text.delta\r\ndata: {"type":"response.output_text.delta","sequence_number": 12,"delta":"hi"}\r\n\r\n'));
    expect(r.lastSequenceNumber).toBe(12);
    r.push(enc('event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"\\"sequence_number\\": 99"}\n\n'));
    expect(r.lastSequenceNumber).toBe(12);
    r.push(enc('data: {"type":"response.completed","sequence_number":\t130,"response":{"usage":{"input_tokens":3,"output_tokens":2}}}\n\n'));
    expect(r.lastSequenceNumber).toBe(130);
    expect(r.usage).toEqual({ input_tokens: 3, output_tokens: 2 });
  });

  it("times the first token only once, ignoring the empty role chunk", () => {
    const { r, firstTokens } = relay(false);
    r.push(enc('data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n'));
    expect(firstTokens()).toBe(0);
    r.push(enc(CHUNK + CHUNK));
    expect(firstTokens()).toBe(1);
  });
});

/** Where the last complete event of `head` ends, for a stream framed with `ending`. */
function lastEventEnd(head: string, ending: string): number {
  if (ending === "\r\n" && head.endsWith("\r\n\r")) return head.length;
  const at = head.lastIndexOf(ending + ending);
  return at === -1 ? 0 : at + 2 * ending.length;
}

describe("SseRelay forwarding untouched sends whole events only", () => {
  const passthrough = () => new SseRelay({ hideUsage: false, onFirstToken: () => undefined });

  it("holds an event cut between chunks until its blank line, then sends it with the held bytes", () => {
    const r = passthrough();
    expect(dec(r.push(enc(`${CHUNK}data: {"choices":[{"delta":{"cont`)))).toBe(CHUNK);
    expect(dec(r.push(enc('ent":"x"}}]}\n')))).toBe("");
    expect(dec(r.push(enc("\ndata: [DO")))).toBe('data: {"choices":[{"delta":{"content":"x"}}]}\n\n');
    expect(dec(r.flush())).toBe("data: [DO");
  });

  it("sends every byte once and in order, whatever the chunking, with CR, LF or CRLF framing", () => {
    for (const ending of ["\n", "\r\n", "\r"]) {
      const text = (CHUNK + USAGE + "data: [DONE]\n\n").replace(/\n/g, ending);
      const input = enc(text);
      for (let cut = 0; cut <= input.length; cut++) {
        const r = passthrough();
        const first = dec(r.push(input.slice(0, cut)));
        const out = first + dec(r.push(input.slice(cut))) + dec(r.flush());
        expect(out).toBe(text);
        // What went out first is everything up to the last event the first chunk completed (a
        // CRLF blank line cut before its LF is complete at its CR).
        expect(first.length, `${JSON.stringify(ending)} cut at ${cut}`).toBe(lastEventEnd(text.slice(0, cut), ending));
        expect(r.usage?.total_tokens).toBe(6);
      }
    }
  });
});

describe("SseRelay line endings (CRLF, LF, CR, as the SSE spec allows)", () => {
  const CRLF_CHUNK = CHUNK.replace(/\n/g, "\r\n");
  const CRLF_USAGE = USAGE.replace(/\n/g, "\r\n");
  const CLEAN = 'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n';

  it("passes each CRLF-framed event on as it completes, not at the end of the stream", () => {
    const { r, firstTokens } = relay(true);
    expect(dec(r.push(enc(CRLF_CHUNK)))).toBe(CLEAN);
    expect(firstTokens()).toBe(1);
    expect(dec(r.push(enc(CRLF_CHUNK)))).toBe(CLEAN);
  });

  it("hides the injected usage chunk of a CRLF or CR stream from a client that did not ask for it", () => {
    for (const ending of ["\r\n", "\r"]) {
      const { r } = relay(true);
      const frame = (s: string) => s.replace(/\n/g, ending);
      const out = dec(r.push(enc(frame(CHUNK + USAGE + "data: [DONE]\n\n")))) + dec(r.flush());
      // Only the events that carried usage are rewritten (LF-framed); the rest go on as framed.
      expect(out).toBe(`${CLEAN}${frame("data: [DONE]\n\n")}`);
      expect(out).not.toContain("usage");
      expect(r.usage?.total_tokens).toBe(6);
    }
  });

  it("reads usage from a CRLF stream it forwards untouched", () => {
    const { r } = relay(false);
    const input = enc(CRLF_CHUNK + CRLF_USAGE);
    expect(r.push(input)).toBe(input);
    expect(r.usage?.prompt_tokens).toBe(4);
  });

  it("takes a CRLF split between two chunks as one line ending", () => {
    const { r } = relay(true);
    const whole = CRLF_CHUNK + CRLF_CHUNK;
    // The first event's blank line is "\r\n\r\n": cut between its CR and LF.
    const cut = CRLF_CHUNK.length - 1;
    expect(dec(r.push(enc(whole.slice(0, cut))))).toBe(CLEAN);
    expect(dec(r.push(enc(whole.slice(cut))))).toBe(CLEAN);
    expect(dec(r.flush())).toBe("");
  });

  it("keeps comment lines and other fields of an event, rewritten or not", () => {
    const { r } = relay(true);
    const untouched = ": ping\r\n\r\nevent: message\r\ndata: {}\r\n\r\n";
    expect(dec(r.push(enc(untouched)))).toBe(untouched);
    expect(dec(r.push(enc('id: 7\r\n: note\r\ndata: {"usage":null,"choices":[]}\r\n\r\n')))).toBe('id: 7\n: note\ndata: {"choices":[]}\n\n');
  });

  it("hides usage whatever the chunking, dropping the LF of a split CRLF that ended a hidden event", () => {
    for (const ending of ["\n", "\r\n", "\r"]) {
      const frame = (s: string) => s.replace(/\n/g, ending);
      const input = enc(frame(CHUNK + USAGE + "data: [DONE]\n\n"));
      for (let cut = 0; cut <= input.length; cut++) {
        const { r } = relay(true);
        const out = dec(r.push(input.slice(0, cut))) + dec(r.push(input.slice(cut))) + dec(r.flush());
        expect(out, `${JSON.stringify(ending)} cut at ${cut}`).toBe(`${CLEAN}${frame("data: [DONE]\n\n")}`);
        expect(r.usage?.total_tokens).toBe(6);
      }
    }
  });

  it("assembles an event that arrives in many small chunks", () => {
    const { r } = relay(true);
    const content = "x".repeat(200_000);
    const event = `data: {"choices":[{"delta":{"content":"${content}"}}]}\n\n`;
    let out = "";
    for (let i = 0; i < event.length; i += 1000) out += dec(r.push(enc(event.slice(i, i + 1000))));
    expect(out).toBe(event);
  });

  it("fails an event that grows past its bound, in either mode, instead of holding it", () => {
    for (const hideUsage of [true, false]) {
      const r = new SseRelay({ hideUsage, onFirstToken: () => undefined, maxEventLength: 1000 });
      r.push(enc(`data: ${"x".repeat(600)}`));
      expect(() => r.push(enc("x".repeat(600)))).toThrow(/an event passed 1000 bytes without ending/);
    }
    const lines = new SseRelay({ hideUsage: true, onFirstToken: () => undefined, maxEventLength: 1000 });
    expect(() => lines.push(enc(`data: ${"y".repeat(400)}\ndata: ${"y".repeat(400)}\ndata: ${"y".repeat(400)}\n`))).toThrow(/1000 bytes/);
  });

  it("holds at most 4 MiB of one event by default", () => {
    const r = new SseRelay({ hideUsage: false, onFirstToken: () => undefined });
    r.push(enc(`data: ${"z".repeat(4 * 1024 * 1024 - 10)}`));
    expect(() => r.push(enc("z".repeat(20)))).toThrow(/4194304 bytes/);
  });
});

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

  it("handles a multibyte character split between chunks", () => {
    const { r } = relay(true);
    const bytes = enc('data: {"choices":[{"delta":{"content":"é"}}]}\n\n');
    const split = bytes.indexOf(0xc3) + 1;
    const out = dec(r.push(bytes.slice(0, split))) + dec(r.push(bytes.slice(split)));
    expect(out).toBe('data: {"choices":[{"delta":{"content":"é"}}]}\n\n');
  });

  it("times the first token only once, ignoring the empty role chunk", () => {
    const { r, firstTokens } = relay(false);
    r.push(enc('data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n'));
    expect(firstTokens()).toBe(0);
    r.push(enc(CHUNK + CHUNK));
    expect(firstTokens()).toBe(1);
  });
});

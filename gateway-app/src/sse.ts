export interface Usage {
  readonly prompt_tokens?: number;
  readonly completion_tokens?: number;
  readonly total_tokens?: number;
  /** The Responses API's names for the same counts. */
  readonly input_tokens?: number;
  readonly output_tokens?: number;
}

export interface SseRelayOptions {
  /**
   * The gateway asked the upstream for usage (`stream_options.include_usage`) although the
   * client did not: drop the usage-only chunk and the `"usage":null` fields so the client
   * receives exactly what it would have without our request.
   */
  readonly hideUsage: boolean;
  /** Called once, when the first chunk carrying content or a tool call passes. */
  readonly onFirstToken: () => void;
}

const FIRST_TOKEN = /"(?:content|tool_calls|reasoning_content)":\s*(?:"[^"]|\[)/;
const USAGE_OBJECT = /"usage":\s*\{/;

/**
 * Relays an OpenAI server-sent event stream chunk by chunk. It reads usage from the final chunk
 * and times the first token; when it must hide usage it rewrites whole events, holding back
 * only an incomplete trailing event, so nothing is delayed beyond the event it belongs to.
 */
export class SseRelay {
  usage: Usage | undefined;
  private pending = "";
  private sawFirstToken = false;
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  constructor(private readonly options: SseRelayOptions) {}

  /** Takes upstream bytes; returns the bytes to send on now (possibly empty). */
  push(chunk: Uint8Array): Uint8Array {
    const text = this.pending + this.decoder.decode(chunk, { stream: true });
    const end = text.lastIndexOf("\n\n");
    if (end === -1) {
      this.pending = text;
      return this.options.hideUsage ? EMPTY : chunk;
    }
    const complete = text.slice(0, end + 2);
    this.pending = text.slice(end + 2);
    const events = complete.split("\n\n");
    events.pop();
    let rewritten = "";
    for (const event of events) rewritten += this.inspect(event);
    if (!this.options.hideUsage) return chunk;
    return rewritten ? this.encoder.encode(rewritten) : EMPTY;
  }

  /** Whatever is left when the upstream ends. */
  flush(): Uint8Array {
    const rest = this.pending + this.decoder.decode();
    this.pending = "";
    if (!rest) return EMPTY;
    const inspected = this.inspect(rest);
    return this.options.hideUsage ? this.encoder.encode(inspected) : EMPTY;
  }

  /** Looks at one event; returns it (rewritten if need be) with its terminating blank line. */
  private inspect(event: string): string {
    if (!this.sawFirstToken && FIRST_TOKEN.test(event)) {
      this.sawFirstToken = true;
      this.options.onFirstToken();
    }
    if (!USAGE_OBJECT.test(event) && !this.options.hideUsage) return "";
    const data = dataOf(event);
    if (data === undefined || data === "[DONE]") return `${event}\n\n`;
    if (USAGE_OBJECT.test(data)) {
      try {
        const parsed = JSON.parse(data) as { usage?: Usage; choices?: unknown[]; response?: { usage?: Usage } };
        // Chat puts usage on a chunk; the Responses API on its response.completed event.
        const usage = parsed.usage ?? parsed.response?.usage;
        if (usage) this.usage = usage;
        if (this.options.hideUsage && Array.isArray(parsed.choices) && parsed.choices.length === 0) return "";
      } catch {
        // Not JSON: relay as is; the client sees what the upstream sent.
      }
    }
    if (!this.options.hideUsage) return "";
    return `${event.replace(/,"usage":null|"usage":null,?/g, "")}\n\n`;
  }
}

const EMPTY = new Uint8Array(0);

/** The joined `data:` lines of one event, or undefined if it has none. */
function dataOf(event: string): string | undefined {
  let data: string | undefined;
  for (const line of event.split("\n")) {
    if (line.startsWith("data:")) {
      const value = line.slice(line.charAt(5) === " " ? 6 : 5);
      data = data === undefined ? value : `${data}\n${value}`;
    }
  }
  return data;
}

import { bufferedResponse, type Upstream, type UpstreamCall, type UpstreamResponse } from "../../src/upstream/types.js";

/** An in-process upstream that records calls and answers as the test says. */
export class RecordingUpstream implements Upstream {
  readonly calls: { call: UpstreamCall; body: any }[] = [];

  constructor(
    readonly name: "litellm" | "vertex",
    private readonly answer: (call: UpstreamCall, body: any) => UpstreamResponse | Promise<UpstreamResponse> = (_call, body) =>
      jsonResponse(200, {
        object: "chat.completion",
        model: body.model,
        choices: [],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      }),
  ) {}

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    const body = JSON.parse(Buffer.from(call.body).toString("utf8"));
    this.calls.push({ call, body });
    return this.answer(call, body);
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): UpstreamResponse {
  return bufferedResponse(
    status,
    { "content-type": "application/json", ...headers },
    Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  );
}

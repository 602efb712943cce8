import { estimateTokens, mockText, mockToolCall, textChunks } from "./mock-content.js";

/**
 * The built-in mock's Responses API (`POST /responses`): one output item (a function call when
 * tools are offered, else a message whose text fits `text.format`), and the same answer as the
 * event sequence OpenAI streams (response.created … response.completed).
 */
export function mockResponse(request: Record<string, any>, id: string, createdAt: number): Record<string, unknown> {
  return { ...responseBase(request, id, createdAt), status: "completed", output: [outputItem(request, id)], usage: usage(request) };
}

export async function* mockResponseEvents(request: Record<string, any>, id: string, createdAt: number): AsyncIterable<Uint8Array> {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) =>
    Buffer.from(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`);
  const base = responseBase(request, id, createdAt);
  const item = outputItem(request, id);
  yield event("response.created", { response: { ...base, status: "in_progress", output: [] } });
  yield event("response.in_progress", { response: { ...base, status: "in_progress", output: [] } });
  const at = { item_id: item.id, output_index: 0 };
  if (item.type === "function_call") {
    yield event("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", arguments: "" } });
    yield event("response.function_call_arguments.delta", { ...at, delta: item.arguments });
    yield event("response.function_call_arguments.done", { ...at, arguments: item.arguments });
  } else {
    const text = item.content[0].text;
    yield event("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } });
    yield event("response.content_part.added", { ...at, content_index: 0, part: { type: "output_text", text: "", annotations: [] } });
    for (const delta of textChunks(text)) yield event("response.output_text.delta", { ...at, content_index: 0, delta, logprobs: [] });
    yield event("response.output_text.done", { ...at, content_index: 0, text, logprobs: [] });
    yield event("response.content_part.done", { ...at, content_index: 0, part: item.content[0] });
  }
  yield event("response.output_item.done", { output_index: 0, item });
  yield event("response.completed", { response: { ...base, status: "completed", output: [item], usage: usage(request) } });
}

function responseBase(request: Record<string, any>, id: string, createdAt: number) {
  return {
    id: `resp_mock_${id}`,
    object: "response",
    created_at: createdAt,
    model: request.model,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    temperature: request.temperature ?? null,
    text: request.text ?? { format: { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: request.tools ?? [],
    top_p: request.top_p ?? null,
  };
}

type OutputItem =
  | { type: "function_call"; id: string; call_id: string; name: string; arguments: string; status: "completed" }
  | {
      type: "message";
      id: string;
      role: "assistant";
      status: "completed";
      content: [{ type: "output_text"; text: string; annotations: [] }];
    };

function outputItem(request: Record<string, any>, id: string): OutputItem {
  const sawToolResult = Array.isArray(request.input) && request.input.some((item: any) => item?.type === "function_call_output");
  const call = mockToolCall(request.tools, request.tool_choice, sawToolResult);
  if (call) return { type: "function_call", id: `fc_mock_${id}`, call_id: `call_mock_${id}`, ...call, status: "completed" };
  const text = mockText(request.text?.format);
  return { type: "message", id: `msg_mock_${id}`, role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] };
}

function usage(request: Record<string, any>) {
  const input = estimateTokens(JSON.stringify(request.input ?? "") + String(request.instructions ?? ""));
  const output = estimateTokens(JSON.stringify(outputItem(request, "")));
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

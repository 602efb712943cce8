/**
 * What the built-in mock model answers, from what the request asks for: a tool call when tools
 * are offered (until a tool result comes back), JSON that fits a requested schema, plain text
 * otherwise. Deterministic, so tests and local development can rely on it.
 */

export const REPLY_TEXT = "Hello from the AI gateway's built-in mock model. It answers every request with this deterministic text.";

export interface MockToolCall {
  readonly name: string;
  readonly arguments: string;
}

/** A function tool in chat (`{type, function: {name, parameters}}`) or Responses (`{type, name, parameters}`) shape. */
interface FunctionTool {
  readonly name: string;
  readonly parameters?: unknown;
}

function functionTools(tools: unknown): FunctionTool[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool) => {
    if (!tool || typeof tool !== "object" || (tool as { type?: unknown }).type !== "function") return [];
    const fn = ((tool as { function?: unknown }).function ?? tool) as { name?: unknown; parameters?: unknown };
    return typeof fn.name === "string" ? [{ name: fn.name, parameters: fn.parameters }] : [];
  });
}

/** The name `tool_choice` forces, in either API's shape. */
function forcedToolName(choice: unknown): string | undefined {
  if (!choice || typeof choice !== "object") return undefined;
  const named = choice as { name?: unknown; function?: { name?: unknown } };
  const name = named.function?.name ?? named.name;
  return typeof name === "string" ? name : undefined;
}

/**
 * The tool the mock calls: the forced one, else the first offered; none when `tool_choice` is
 * "none" or the conversation already holds a tool result (so a client's tool loop ends).
 */
export function mockToolCall(tools: unknown, toolChoice: unknown, sawToolResult: boolean): MockToolCall | undefined {
  const offered = functionTools(tools);
  if (offered.length === 0 || toolChoice === "none" || sawToolResult) return undefined;
  const forced = forcedToolName(toolChoice);
  const tool = offered.find((t) => t.name === forced) ?? offered[0];
  return { name: tool.name, arguments: JSON.stringify(valueFor(tool.parameters, 0)) };
}

/** The answer text: JSON matching a requested format or schema, else the fixed reply. */
export function mockText(format: { type?: unknown; schema?: unknown } | undefined): string {
  if (format?.type === "json_schema") return JSON.stringify(valueFor(format.schema, 0));
  if (format?.type === "json_object") return JSON.stringify({ answer: REPLY_TEXT });
  return REPLY_TEXT;
}

/** A small value that fits a JSON schema: every property, the first enum value, one array item. */
export function valueFor(schema: unknown, depth: number): unknown {
  if (!schema || typeof schema !== "object" || depth > 16) return {};
  const s = schema as Record<string, any>;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  for (const key of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(s[key]) && s[key].length > 0) return valueFor(s[key][0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t: unknown) => t !== "null") : s.type;
  switch (type) {
    case "string":
      return "mock";
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 0;
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      const count = typeof s.minItems === "number" && s.minItems > 0 ? Math.min(s.minItems, 8) : 1;
      return Array.from({ length: count }, () => valueFor(s.items, depth + 1));
    }
    default: {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, valueFor(value, depth + 1)]));
    }
  }
}

/** The chat API's `response_format`, as the shape `mockText` reads. */
export function chatFormat(responseFormat: unknown): { type?: unknown; schema?: unknown } | undefined {
  if (!responseFormat || typeof responseFormat !== "object") return undefined;
  const format = responseFormat as { type?: unknown; json_schema?: { schema?: unknown } };
  return { type: format.type, schema: format.json_schema?.schema };
}

/** Roughly four characters a token, as OpenAI's rule of thumb. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Splits text into a few stream chunks of four words. */
export function textChunks(text: string): string[] {
  const words = text.split(" ");
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += 4) chunks.push((i === 0 ? "" : " ") + words.slice(i, i + 4).join(" "));
  return chunks;
}

import http from "node:http";
import type { AddressInfo } from "node:net";

/** A span as the OTLP/HTTP JSON encoding carries it (ids in hex), its attributes flattened to values. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP's SpanKind: 2 SERVER, 3 CLIENT. */
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly events: { name: string; attributes: Record<string, unknown> }[];
  /** OTLP's StatusCode: 0 unset, 1 ok, 2 error. */
  readonly status: { code?: number; message?: string };
  readonly resource: Record<string, unknown>;
}

export const SPAN_KIND = { server: 2, client: 3 } as const;
export const STATUS_ERROR = 2;

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
}

/**
 * An OTLP/HTTP traces receiver on loopback, decoding what the exporter sends (JSON: its
 * content-type is application/json): the Collector's receiving end, as far as gateway-app sees it.
 * `hang` makes it accept exports and never answer, as an overloaded Collector would.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Content-types of the exports received. */
  readonly contentTypes: string[] = [];
  hang = false;
  /** A status to refuse exports with (400: the Collector rejects them, and the exporter does not retry). */
  refuseWith?: number;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Waits until `count` spans have arrived (or fails after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.spans.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} spans, received ${this.spans.length}: ${JSON.stringify(this.spans, null, 1)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.spans;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.hang) return;
    if (this.refuseWith) {
      res.writeHead(this.refuseWith, { "content-type": "application/json" });
      res.end('{"code":3,"message":"refused"}');
      return;
    }
    this.contentTypes.push(req.headers["content-type"] ?? "");
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    for (const resourceSpans of body.resourceSpans ?? []) {
      const resource = flatten(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: span.kind,
            attributes: flatten(span.attributes),
            events: (span.events ?? []).map((e: { name: string; attributes?: OtlpAttribute[] }) => ({
              name: e.name,
              attributes: flatten(e.attributes),
            })),
            status: span.status ?? {},
            resource,
          });
        }
      }
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  }
}

function flatten(attributes: OtlpAttribute[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    out[key] = value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.doubleValue ?? value.boolValue));
  }
  return out;
}

/** A loopback port nothing listens on: a Collector that is down. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1/traces`;
}

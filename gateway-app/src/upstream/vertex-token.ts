import http from "../node-http.js";

export interface AccessToken {
  readonly token: string;
  readonly expiresAt: number;
}

export interface MetadataTokenSourceOptions {
  /** e.g. http://metadata.google.internal; tests point it at a loopback fake. */
  readonly metadataBaseUrl: string;
  /** Refresh this long before expiry. @default 300000 (5 minutes) */
  readonly refreshBeforeMs?: number;
  readonly now?: () => number;
  /** Deadline for one metadata call. @default 5000 */
  readonly timeoutMs?: number;
}

const TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";

/**
 * Access tokens for Vertex AI from the GKE metadata server (Workload Identity): cached, and
 * refreshed once, shared by concurrent callers, before they expire.
 */
export class MetadataTokenSource {
  private cached?: AccessToken;
  private refreshing?: Promise<AccessToken>;
  private readonly refreshBeforeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: MetadataTokenSourceOptions) {
    this.refreshBeforeMs = options.refreshBeforeMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt - this.refreshBeforeMs > this.now()) return this.cached.token;
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = undefined;
    });
    this.cached = await this.refreshing;
    return this.cached.token;
  }

  private fetchToken(): Promise<AccessToken> {
    const url = new URL(this.options.metadataBaseUrl.replace(/\/+$/, "") + TOKEN_PATH);
    const started = this.now();
    return new Promise((resolve, reject) => {
      const request = http.get(url, { headers: { "Metadata-Flavor": "Google" }, timeout: this.options.timeoutMs ?? 5000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode !== 200) return reject(new Error(`metadata server answered ${response.statusCode}`));
          try {
            const body = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
            if (typeof body.access_token !== "string" || typeof body.expires_in !== "number") throw new Error("missing access_token or expires_in");
            resolve({ token: body.access_token, expiresAt: started + body.expires_in * 1000 });
          } catch (error) {
            reject(new Error(`metadata server sent an unusable token (${(error as Error).message})`));
          }
        });
      });
      request.on("timeout", () => request.destroy(new Error("metadata server timed out")));
      request.on("error", reject);
    });
  }
}

interface Waiting<Item, Outcome> {
  readonly item: Item;
  readonly done: (outcome: Outcome) => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Work for the store gathered per tenant and sent as one command per tenant (one hash slot, so a
 * cluster takes it too), once the event loop has handled the I/O that was ready: the requests of
 * every connection served in that turn share a command, and a lone request waits for nothing but
 * the turn's end. Starting a script call costs Redis, and the gateway's client, about as much as
 * the counter updates inside it, so N calls' work in one call costs far less than N calls.
 */
export class TenantBatches<Item, Outcome> {
  private queued = new Map<string, Array<Waiting<Item, Outcome>>>();
  private scheduled = false;

  constructor(
    /** Sends one tenant's items (at most `maxBatch`) as one command, and answers each, in order. */
    private readonly send: (tenant: string, items: readonly Item[]) => Promise<readonly Outcome[]>,
    private readonly maxBatch = 100,
  ) {}

  add(tenant: string, item: Item): Promise<Outcome> {
    return new Promise((done, fail) => {
      const batch = this.queued.get(tenant);
      if (batch) batch.push({ item, done, fail });
      else this.queued.set(tenant, [{ item, done, fail }]);
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queued = this.queued;
    this.queued = new Map();
    this.scheduled = false;
    for (const [tenant, waiting] of queued) {
      for (let start = 0; start < waiting.length; start += this.maxBatch) this.sendChunk(tenant, waiting.slice(start, start + this.maxBatch));
    }
  }

  private sendChunk(tenant: string, chunk: ReadonlyArray<Waiting<Item, Outcome>>): void {
    this.send(
      tenant,
      chunk.map((w) => w.item),
    ).then(
      (outcomes) => {
        for (let i = 0; i < chunk.length; i++) chunk[i].done(outcomes[i]);
      },
      (error: unknown) => {
        for (const w of chunk) w.fail(error);
      },
    );
  }
}

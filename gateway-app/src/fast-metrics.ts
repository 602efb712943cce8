import type { Registry } from "prom-client";

type Labels = Record<string, string | number>;

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

interface Options {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  readonly registers: Registry[];
}

/**
 * Counters and histograms for the request path, exposed through a prom-client Registry. On the
 * hot path they only join label values into a key and add to numbers; prom-client's own
 * classes validate and sort labels on every call, which measurably cost throughput. The
 * exposition (names, labels, `le` buckets, _sum and _count) is the same.
 */
abstract class FastMetric {
  readonly name: string;
  readonly help: string;
  abstract readonly type: "counter" | "histogram" | "gauge";
  readonly aggregator = "sum" as const;
  protected readonly labelNames: readonly string[];

  constructor(options: Options) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  protected keyOf(labels: Labels | undefined): string {
    if (this.labelNames.length === 0 || !labels) return "";
    let key = "";
    for (const name of this.labelNames) key += `${labels[name] ?? ""}\u0000`;
    return key;
  }

  protected pick(labels: Labels | undefined): Record<string, string | number> {
    const picked: Record<string, string | number> = {};
    for (const name of this.labelNames) if (labels?.[name] !== undefined) picked[name] = labels[name];
    return picked;
  }

  abstract get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }>;
  abstract reset(): void;
}

export class FastCounter extends FastMetric {
  readonly type = "counter" as const;
  private readonly series = new Map<string, { labels: Record<string, string | number>; value: number }>();

  inc(labels?: Labels, value = 1): void {
    const key = this.keyOf(labels);
    const entry = this.series.get(key);
    if (entry) entry.value += value;
    else this.series.set(key, { labels: this.pick(labels), value });
  }

  async get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.series.values()].map((s) => ({ value: s.value, labels: s.labels })),
    };
  }

  reset(): void {
    this.series.clear();
  }
}

export class FastGauge extends FastMetric {
  readonly type = "gauge" as const;
  private value = 0;

  inc(): void {
    this.value += 1;
  }

  dec(): void {
    this.value -= 1;
  }

  async get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [{ value: this.value, labels: {} }] };
  }

  reset(): void {
    this.value = 0;
  }
}

export class FastHistogram extends FastMetric {
  readonly type = "histogram" as const;
  private readonly buckets: readonly number[];
  private readonly series = new Map<string, { labels: Record<string, string | number>; counts: number[]; sum: number; count: number }>();

  constructor(options: Options & { readonly buckets: readonly number[] }) {
    super(options);
    this.buckets = [...options.buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    const key = this.keyOf(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: this.pick(labels), counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    const buckets = this.buckets;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= buckets[i]) {
        entry.counts[i] += 1;
        break;
      }
    }
    entry.sum += value;
    entry.count += 1;
  }

  async get() {
    const values: MetricValue[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += counts[i];
        values.push({ metricName: `${this.name}_bucket`, labels: { le: bound, ...labels }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: "+Inf", ...labels }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels, value: sum });
      values.push({ metricName: `${this.name}_count`, labels, value: count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}

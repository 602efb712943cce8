/** One PromQL query of a panel. */
export interface Target {
  readonly expr: string;
  /** Legend, with `{{label}}` placeholders. */
  readonly legend?: string;
}

export interface PanelOptions {
  /** Grafana unit id: "reqps", "percentunit", "s", "ms", "short", "currencyUSD", "bytes", "Bps". @default "short" */
  readonly unit?: string;
  /** Grid width out of 24. @default 12 */
  readonly width?: number;
  /** @default 8 */
  readonly height?: number;
  readonly description?: string;
}

/** The parts of Grafana's dashboard JSON model we render. */
export interface GrafanaDashboard {
  uid: string;
  title: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  timezone: string;
  refresh: string;
  time: { from: string; to: string };
  templating: { list: Record<string, unknown>[] };
  panels: GrafanaPanel[];
}

export interface GrafanaPanel {
  id: number;
  type: "timeseries" | "stat" | "row";
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: "prometheus"; uid: string };
  targets?: { refId: string; expr: string; legendFormat?: string; datasource: { type: "prometheus"; uid: string } }[];
  fieldConfig?: { defaults: { unit: string }; overrides: unknown[] };
  options?: Record<string, unknown>;
  collapsed?: boolean;
}

const DATASOURCE = { type: "prometheus" as const, uid: "${datasource}" };
const GRID_WIDTH = 24;

/**
 * Builds a Grafana dashboard: panels flow left to right in rows of 24 units, ids are assigned
 * in order, every query uses the `datasource` variable.
 */
export class DashboardBuilder {
  private readonly panels: GrafanaPanel[] = [];
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  constructor(
    private readonly uid: string,
    private readonly title: string,
  ) {}

  /** Starts a titled row on a new line. */
  row(title: string): this {
    this.newLine();
    this.panels.push({ id: this.panels.length + 1, type: "row", title, collapsed: false, gridPos: { x: 0, y: this.y, w: GRID_WIDTH, h: 1 } });
    this.y += 1;
    return this;
  }

  timeseries(title: string, targets: Target[], options: PanelOptions = {}): this {
    return this.add("timeseries", title, targets, options, { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } });
  }

  stat(title: string, targets: Target[], options: PanelOptions = {}): this {
    return this.add(
      "stat",
      title,
      targets,
      { width: 6, height: 4, ...options },
      { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "value", graphMode: "area" },
    );
  }

  render(): GrafanaDashboard {
    return {
      uid: this.uid,
      title: this.title,
      tags: ["ai-gateway"],
      schemaVersion: 39,
      version: 1,
      editable: false,
      timezone: "utc",
      refresh: "30s",
      time: { from: "now-6h", to: "now" },
      templating: {
        list: [
          {
            name: "datasource",
            label: "Data source",
            type: "datasource",
            query: "prometheus",
            current: { text: "Prometheus", value: "prometheus" },
            hide: 0,
          },
        ],
      },
      panels: this.panels,
    };
  }

  private add(type: "timeseries" | "stat", title: string, targets: Target[], options: PanelOptions, panelOptions: Record<string, unknown>): this {
    const w = Math.min(options.width ?? 12, GRID_WIDTH);
    const h = options.height ?? 8;
    if (this.x + w > GRID_WIDTH) this.newLine();
    this.panels.push({
      id: this.panels.length + 1,
      type,
      title,
      description: options.description,
      gridPos: { x: this.x, y: this.y, w, h },
      datasource: DATASOURCE,
      targets: targets.map((target, index) => ({
        refId: String.fromCharCode(65 + index),
        expr: target.expr,
        legendFormat: target.legend,
        datasource: DATASOURCE,
      })),
      fieldConfig: { defaults: { unit: options.unit ?? "short" }, overrides: [] },
      options: panelOptions,
    });
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return this;
  }

  private newLine(): void {
    if (this.x === 0) return;
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}

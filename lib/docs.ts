import { VERSIONS } from "./versions";

/** The README's table of pinned versions, generated from lib/versions.ts. */
export function versionsTable(): string {
  const rows = Object.entries(VERSIONS).map(([name, pin]) => {
    const what = "chart" in pin ? `${pin.chart} chart from ${pin.repository}` : `image ${pin.repository}`;
    const version = "version" in pin ? pin.version : pin.tag;
    return `| \`${name}\` | ${what} | \`${version}\` |`;
  });
  return ["| pin | what | version |", "|---|---|---|", ...rows].join("\n");
}

export const VERSIONS_BEGIN = "<!-- versions:begin (generated from lib/versions.ts by `npm run docs`) -->";
export const VERSIONS_END = "<!-- versions:end -->";

/** Replaces the generated block of a README with the current table. */
export function withVersionsTable(readme: string): string {
  const start = readme.indexOf(VERSIONS_BEGIN);
  const end = readme.indexOf(VERSIONS_END);
  if (start === -1 || end === -1) throw new Error("README.md lacks the versions markers");
  return `${readme.slice(0, start + VERSIONS_BEGIN.length)}\n${versionsTable()}\n${readme.slice(end)}`;
}

/**
 * Code-unit order, the same on every machine. `localeCompare` would make synthesized output
 * depend on the ICU locale of whoever runs synth (and its first call costs ~5 ms of ICU setup).
 */
export function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A record's entries sorted by key in code-unit order. */
export function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => compareOrdinal(a, b));
}

// Instructions per function from a callgrind dump, with V8's JIT code named: callgrind knows
// native symbols only, so JavaScript shows as bare addresses, which the perf map Node writes
// under --perf-basic-prof (/tmp/perf-<pid>.map: "start size name" in hex) turns back into
// "function file:line:column". Self cost is what a function executed itself; inclusive adds what
// the functions it called executed (a recursive call is not counted twice).
import { readFileSync } from "node:fs";

export interface FunctionCost {
  readonly name: string;
  readonly self: number;
  readonly inclusive: number;
}

interface JitSymbol {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

function readPerfMap(path: string): JitSymbol[] {
  const symbols: JitSymbol[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (!match) continue;
    const start = Number.parseInt(match[1], 16);
    symbols.push({ start, end: start + Number.parseInt(match[2], 16), name: match[3] });
  }
  return symbols.sort((a, b) => a.start - b.start);
}

/** The JIT symbol holding `address` (binary search); V8's tier marks ("*", "+", "^", "~") dropped, so tiers of one function add up. */
function jitName(symbols: readonly JitSymbol[], address: number): string {
  let low = 0;
  let high = symbols.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (symbols[mid].start <= address) low = mid + 1;
    else high = mid - 1;
  }
  const symbol = symbols[high];
  if (!symbol || address >= symbol.end) return "(JIT code without a name)";
  return symbol.name.replace(/^JS:/, "").replace(/^[*+^~']+/, "");
}

/**
 * Reads callgrind's format (name compression "fn=(id) name", "calls=" lines whose next cost line
 * is the call's inclusive cost; the first number after the position is Ir, the only event here).
 */
export function functionCosts(dump: string, perfMap: string): FunctionCost[] {
  const symbols = readPerfMap(perfMap);
  const named = (raw: string) => {
    const address = /^0x([0-9a-f]+)/.exec(raw);
    return address ? jitName(symbols, Number.parseInt(address[1], 16)) : raw;
  };
  const ids = new Map<string, string>();
  const resolve = (spec: string) => {
    const match = /^\((\d+)\)(?: (.*))?$/.exec(spec.trim());
    if (!match) return named(spec.trim());
    if (match[2] !== undefined) ids.set(match[1], named(match[2]));
    return ids.get(match[1]) ?? `(${match[1]})`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (map: Map<string, number>, name: string, cost: number) => map.set(name, (map.get(name) ?? 0) + cost);
  let current: string | undefined;
  let callee: string | undefined;
  let nextIsCall = false;
  for (const line of readFileSync(dump, "utf8").split("\n")) {
    if (line.startsWith("fn=")) {
      current = resolve(line.slice(3));
      nextIsCall = false;
    } else if (line.startsWith("cfn=")) callee = resolve(line.slice(4));
    else if (line.startsWith("calls=")) nextIsCall = true;
    else if (current && /^[0-9+\-*]/.test(line)) {
      const cost = Number(line.split(" ")[1] ?? 0);
      if (nextIsCall) {
        if (callee !== current) add(inclusive, current, cost);
        nextIsCall = false;
      } else {
        add(self, current, cost);
        add(inclusive, current, cost);
      }
    }
  }
  return [...inclusive.keys()].map((name) => ({ name, self: self.get(name) ?? 0, inclusive: inclusive.get(name) ?? 0 }));
}

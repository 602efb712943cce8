// Synth and type-check benchmark. Targets on the 2-core reference machine: the example app
// synthesizes in at most 1 s (median), at least 4x faster than the same app importing
// @cdktf/provider-google from its package root; `tsc` over the repository in at most 3 s.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { measureOnce, median, printTable, type Sample } from "./support/measure";

const ROOT = join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const node = process.execPath;

// What `npm run synth` runs: the compiled app (the build is a separate step, timed below).
execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });

// The provider modules the example loads, for the floor: Node + cdktf + those modules, nothing built.
const floorModules = execFileSync(node, [join(ROOT, "dist/bench/support/provider-modules.js")], { encoding: "utf8" }).trim();

const cases: Record<string, () => Sample> = {
  "synth: example app (deep imports)": () => measureOnce(node, [join(ROOT, "dist/main.js")]),
  "synth: baseline (package-root import)": () => measureOnce(node, [join(ROOT, "dist/bench/support/root-import-synth.js")]),
  "floor: load Node, cdktf and the example's provider modules only": () =>
    measureOnce(node, [join(ROOT, "dist/bench/support/load-floor.js")], { BENCH_FLOOR_MODULES: floorModules }),
  // What `npm run typecheck` runs: the constructs and tests, then gateway-app with its tests.
  "build: tsc -p tsconfig.build.json (TS 7)": () => measureOnce(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "tsconfig.build.json")]),
  "type-check: whole repository (TS 7)": () =>
    measureOnce("sh", ["-c", `cd ${ROOT} && node_modules/.bin/tsc -p tsconfig.json && node_modules/.bin/tsc -p gateway-app/tsconfig.test.json`]),
};

const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
// Interleaved so that machine noise hits every case alike.
for (let run = 0; run < RUNS; run++) {
  for (const [name, measure] of Object.entries(cases)) samples[name].push(measure());
}

const summary = Object.fromEntries(
  Object.entries(samples).map(([name, runs]) => [
    name,
    { wall: median(runs.map((s) => s.wallMs)), min: Math.min(...runs.map((s) => s.wallMs)), rss: median(runs.map((s) => s.maxRssMiB)) },
  ]),
);
const [deep, root, floor, build, typecheck] = Object.keys(cases);
const speedup = summary[root].wall / summary[deep].wall;

console.log(`\n${RUNS} runs each, interleaved, ${process.version}\n`);
printTable(
  ["case", "median wall (ms)", "min wall (ms)", "median peak RSS (MiB)", "vs baseline"],
  Object.entries(summary).map(([name, s]) => [
    name,
    s.wall.toFixed(0),
    s.min.toFixed(0),
    // The tsc launcher is Node but the compiler is a native child, so its RSS would mislead.
    name === typecheck || name === build || Number.isNaN(s.rss) ? "n/a" : s.rss.toFixed(0),
    name === deep || name === floor ? `${(summary[root].wall / s.wall).toFixed(1)}x faster` : name === root ? "1.0x" : "",
  ]),
);
console.log("");
printTable(
  ["target", "limit", "measured", "met"],
  [
    ["example synth median", "<= 1000 ms", `${summary[deep].wall.toFixed(0)} ms`, summary[deep].wall <= 1000 ? "yes" : "NO"],
    ["speed-up over baseline", ">= 4x", `${speedup.toFixed(1)}x`, speedup >= 4 ? "yes" : "NO"],
    ["type-check median", "<= 3000 ms", `${summary[typecheck].wall.toFixed(0)} ms`, summary[typecheck].wall <= 3000 ? "yes" : "NO"],
  ],
);
// Where the 4x target stands: the baseline also pays everything the example pays, so 4x needs
// the example within a quarter of the baseline; the floor is what no app code can remove.
const budget = summary[root].wall / 4;
console.log(
  `\n4x needs the example at <= ${budget.toFixed(0)} ms. The floor (no resources built) takes ${summary[floor].wall.toFixed(0)} ms, ` +
    `leaving ${(budget - summary[floor].wall).toFixed(0)} ms to construct, check and synthesize the example; it takes ` +
    `${(summary[deep].wall - summary[floor].wall).toFixed(0)} ms.`,
);

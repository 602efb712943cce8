// Lower bound for the synth benchmark: what every synth of the example pays before any of our
// code runs: Node itself, cdktf, and the provider modules the example's resources come from.
// The list is passed in (BENCH_FLOOR_MODULES) so it follows whatever the example imports.
import "cdktf";

const modules = JSON.parse(process.env.BENCH_FLOOR_MODULES ?? "[]") as string[];
if (modules.length === 0) throw new Error("BENCH_FLOOR_MODULES lists no modules");
for (const id of modules) require(id);

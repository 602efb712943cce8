// Preloaded into a benchmarked process: on exit, writes its peak resident memory where the
// benchmark asked, so the parent measures the child alone.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  const file = process.env.BENCH_USAGE_FILE;
  if (file) writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
});

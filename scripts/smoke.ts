// npm run smoke -- --url URL [--token JWT] [--rate-limit] [--metrics-url URL]
import { parseArgs } from "node:util";
import { formatResults, runSmoke } from "../lib/smoke";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      token: { type: "string" },
      "rate-limit": { type: "boolean", default: false },
      "metrics-url": { type: "string" },
    },
  });
  if (!values.url) {
    console.error('smoke: --url is required, e.g. npm run smoke -- --url https://api.example.com --token "$JWT"');
    return 2;
  }
  const results = await runSmoke({
    url: values.url,
    token: values.token ?? process.env.SMOKE_TOKEN,
    rateLimit: values["rate-limit"],
    metricsUrl: values["metrics-url"],
  });
  console.log(formatResults(results));
  return results.some((r) => r.status === "fail") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`smoke: ${(error as Error).message}`);
    process.exit(1);
  },
);

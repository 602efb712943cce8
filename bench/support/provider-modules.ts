// Prints, as JSON, the provider modules the example app loads (for the load floor).
import "../../lib/example-app";

const providerModule = /node_modules\/(@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+)\/index\.js$/;
const loaded = Object.keys(require.cache)
  .map((file) => providerModule.exec(file)?.[1])
  .filter((id): id is string => id !== undefined);
console.log(JSON.stringify([...new Set(loaded)].sort()));

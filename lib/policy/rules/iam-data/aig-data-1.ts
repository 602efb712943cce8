import { COMPLIANT, violation } from "../iam-data-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-DATA-1",
  level: "error",
  appliesTo: ["google_redis_instance"],
  info: "Memorystore requires AUTH and encrypts traffic in transit.",
  explanation: "Without AUTH any pod in the VPC can read the cache; without TLS the AUTH string crosses the network in clear.",
  fix: 'Set auth_enabled = true and transit_encryption_mode = "SERVER_AUTHENTICATION".',
  check: ({ config }) => {
    if (config.auth_enabled !== true) return violation("AUTH is off");
    return config.transit_encryption_mode === "SERVER_AUTHENTICATION" ? COMPLIANT : violation("in-transit encryption is off");
  },
});

import { Token } from "cdktf";

/** True when a value is only known at apply time, so synth-time validation must skip it. */
export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}

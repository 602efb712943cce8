import type { IConstruct } from "constructs";

/**
 * A construct was given props it cannot honour. Thrown at synth time; the message names the
 * construct path, the field, what was received and how to fix it, so `main.ts` can print it
 * without a stack trace.
 */
export class InvalidPropsError extends Error {
  public readonly constructPath: string;
  public readonly field: string;

  constructor(scope: IConstruct | string, field: string, problem: string, fix: string) {
    const path = typeof scope === "string" ? scope : scope.node.path;
    super(`${path}: ${field} ${problem}. Fix: ${fix}`);
    this.name = "InvalidPropsError";
    this.constructPath = path;
    this.field = field;
  }
}

/** Renders a received value for an error message. */
export function received(value: unknown): string {
  return `(received ${JSON.stringify(value)})`;
}

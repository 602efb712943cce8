import { ensureCompiled } from "./compiled";

/** One compiled build shared by every test that runs dist/. */
export default function setup(): void {
  ensureCompiled();
}

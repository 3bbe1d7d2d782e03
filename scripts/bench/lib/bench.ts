import type { Effect } from "effect"
import type { BenchMetric } from "./results.js"

/** A benchmark that `pnpm bench <name>` runs: it prints its own summary to stderr and returns its metrics. */
export interface Bench {
  readonly description: string
  readonly run: (argv: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<BenchMetric>, unknown>
}

/** What a bench module exports. */
export const isBenchModule = (module: unknown): module is { readonly bench: Bench } => {
  if (typeof module !== "object" || module === null || !("bench" in module)) return false
  const bench: unknown = module.bench
  return typeof bench === "object" && bench !== null && "run" in bench && typeof bench.run === "function"
}

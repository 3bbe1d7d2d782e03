import { Duration, Effect } from "effect"
import { residentBytes } from "./process-rss.js"

/** The middle value (the mean of the two middle ones for an even count); undefined for no values. */
export const median = (values: ReadonlyArray<number>): number | undefined => {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const upper = sorted[mid] ?? Number.NaN
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2
}

/**
 * A process's resident memory once it has settled: waits `settle`, then takes the median of `samples` readings
 * 200 ms apart, so that one reading taken just before a garbage collection does not decide the figure. Dies when
 * the process is gone.
 */
export const settledResidentBytes = (pid: number, settle: Duration.DurationInput, samples = 5) =>
  Effect.gen(function* () {
    yield* Effect.sleep(settle)
    const readings: Array<number> = []
    for (let i = 0; i < samples; i++) {
      if (i > 0) yield* Effect.sleep(Duration.millis(200))
      const bytes = residentBytes(pid)
      if (bytes === undefined) return yield* Effect.dieMessage(`process ${pid} is gone: its memory cannot be read`)
      readings.push(bytes)
    }
    return median(readings) ?? Number.NaN
  })

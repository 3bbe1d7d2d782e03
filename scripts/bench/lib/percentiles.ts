/**
 * Nearest-rank percentile of samples sorted ascending: the smallest sample such that at least `p` percent of the
 * samples are at most it. Undefined for no samples; `p` is clamped to (0, 100].
 */
export const percentile = (sorted: ReadonlyArray<number>, p: number): number | undefined => {
  if (sorted.length === 0) return undefined
  const clamped = Math.min(100, Math.max(Number.EPSILON, p))
  // p * n first: exact for whole percentages, where (p / 100) * n is not (7 / 100 * 100 > 7).
  const rank = Math.ceil((clamped * sorted.length) / 100)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export interface LatencySummary {
  readonly count: number
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
  readonly mean: number
}

/** Count, p50, p90, p99, max and mean of the samples (in their unit); undefined when there are none. */
export const summarize = (samples: ReadonlyArray<number>): LatencySummary | undefined => {
  const sorted = Float64Array.from(samples).sort()
  const asArray = Array.from(sorted)
  const p50 = percentile(asArray, 50)
  const p90 = percentile(asArray, 90)
  const p99 = percentile(asArray, 99)
  const max = asArray[asArray.length - 1]
  if (p50 === undefined || p90 === undefined || p99 === undefined || max === undefined) return undefined
  const mean = asArray.reduce((sum, x) => sum + x, 0) / asArray.length
  return { count: asArray.length, p50, p90, p99, max, mean }
}

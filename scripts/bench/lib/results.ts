/** One measured figure of a benchmark, printed as one JSON line so that runs can be compared. */
export interface BenchMetric {
  readonly bench: string
  readonly metric: string
  readonly value: number
  readonly unit: string
}

/** Values are rounded to this many decimals: more is noise, and the lines stay short. */
const decimals = 3

const round = (value: number): number => {
  const factor = 10 ** decimals
  const rounded = Math.round(value * factor) / factor
  // -0 prints as 0 in JSON anyway; normalise so that comparisons of parsed lines are exact.
  return Object.is(rounded, -0) ? 0 : rounded
}

/** The metric as one JSON line `{"bench","metric","value","unit"}`; undefined when its value is not finite. */
export const toJsonLine = (metric: BenchMetric): string | undefined =>
  Number.isFinite(metric.value)
    ? JSON.stringify({ bench: metric.bench, metric: metric.metric, value: round(metric.value), unit: metric.unit })
    : undefined

/** A maker of metrics of one bench. */
export const metricsOf =
  (bench: string) =>
  (metric: string, value: number, unit: string): BenchMetric => ({ bench, metric, value, unit })

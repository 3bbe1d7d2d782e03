/** Property-test runs: `PROPERTY_RUNS` from the environment when set to a positive integer, else the default. */
export const propertyRuns = (defaultRuns = 200): number => {
  const raw = process.env["PROPERTY_RUNS"]
  const parsed = raw === undefined ? Number.NaN : Number.parseInt(raw, 10)
  return Number.isInteger(parsed) && parsed > 0 ? parsed : defaultRuns
}

/** Options for `it.prop`: the number of runs, scaled by `PROPERTY_RUNS`. */
export const runs = (defaultRuns = 200) => ({ fastCheck: { numRuns: propertyRuns(defaultRuns) } })

/** Options for `it.prop`: `PROPERTY_RUNS` from the environment when it is a positive integer, else `defaultRuns`. */
export const runs = (defaultRuns = 200) => {
  const raw = process.env["PROPERTY_RUNS"]
  const parsed = raw === undefined ? Number.NaN : Number.parseInt(raw, 10)
  return { fastCheck: { numRuns: Number.isInteger(parsed) && parsed > 0 ? parsed : defaultRuns } }
}

import ms from "ms"

/** A cadence's delays as a supervisor reads and writes them, or why the text is not one. */
export type ParsedDelays =
  | { readonly _tag: "Delays"; readonly delaysMs: ReadonlyArray<number> }
  | { readonly _tag: "Invalid"; readonly message: string }

const units: ReadonlyArray<readonly [string, number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
]

/** One delay in the largest unit that holds it exactly ("90m", not "1.5h"; "2d"), so that saving it back changes nothing. */
export const formatDelay = (delayMs: number): string => {
  if (delayMs === 0) return "0"
  for (const [unit, size] of units) if (delayMs % size === 0) return `${delayMs / size}${unit}`
  return `${delayMs}ms`
}

/** The delays, comma-separated: "30m, 2h, 1d". */
export const formatDelays = (delaysMs: ReadonlyArray<number>): string => delaysMs.map(formatDelay).join(", ")

/**
 * Reads comma-separated delays ("30m, 2h, 1d", "90 minutes", "0"). Empty text is no delay at all. A part that is
 * not a duration, or a number without its unit, is named in the message.
 */
export const parseDelays = (text: string): ParsedDelays => {
  const parts = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
  const delaysMs: Array<number> = []
  for (const part of parts) {
    if (/^[\d.]+$/.test(part) && Number(part) !== 0) {
      return { _tag: "Invalid", message: `delays: "${part}" needs a unit: s, m, h or d (like "30m")` }
    }
    // `ms` answers undefined (not what its types say) for text that is not a duration: checked below.
    const value: unknown = Number(part) === 0 ? 0 : ms(part as ms.StringValue)
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
      return {
        _tag: "Invalid",
        message: `delays: "${part}" is not a delay (write them like "30m, 2h, 1d")`,
      }
    }
    delaysMs.push(value)
  }
  return { _tag: "Delays", delaysMs }
}

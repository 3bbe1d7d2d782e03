import { Either } from "effect"
import { InvalidBenchFlag } from "./flags.js"

/** A flag `--name a,b,c` (or `--name=a,b,c`) whose value is a comma-separated list of numbers. */
export interface NumberListFlag {
  readonly default: ReadonlyArray<number>
  readonly min: number
  readonly max: number
  readonly integer: boolean
  readonly description: string
}

const invalid = (field: string, value: string, rule: string) =>
  new InvalidBenchFlag({ field, value, message: `${field}: ${JSON.stringify(value)} ${rule}` })

/** Every item of `raw` as a number in range, in the order given; an error names the flag and its whole value. */
export const parseNumberList = (
  field: string,
  flag: NumberListFlag,
  raw: string,
): Either.Either<ReadonlyArray<number>, InvalidBenchFlag> => {
  const items = raw.split(",").map((item) => item.trim())
  if (items.length === 0 || items.some((item) => item === "")) {
    return Either.left(invalid(field, raw, "must be numbers separated by commas, e.g. 10,100"))
  }
  const values: Array<number> = []
  for (const item of items) {
    const value = Number(item)
    if (!Number.isFinite(value)) return Either.left(invalid(field, raw, `has ${JSON.stringify(item)}, not a number`))
    if (flag.integer && !Number.isInteger(value)) {
      return Either.left(invalid(field, raw, `has ${item}; every value must be a whole number`))
    }
    if (value < flag.min || value > flag.max) {
      return Either.left(invalid(field, raw, `has ${item}; every value must be between ${flag.min} and ${flag.max}`))
    }
    values.push(value)
  }
  return Either.right(values)
}

/**
 * Takes `--name <list>` / `--name=<list>` out of `argv`: its values (the default when absent) and the other
 * arguments, for `parseFlags`. Given twice, the last one counts, as with the numeric flags.
 */
export const takeNumberList = (
  name: string,
  flag: NumberListFlag,
  argv: ReadonlyArray<string>,
): Either.Either<
  { readonly values: ReadonlyArray<number>; readonly rest: ReadonlyArray<string> },
  InvalidBenchFlag
> => {
  const field = `--${name}`
  const rest: Array<string> = []
  let values: ReadonlyArray<number> = flag.default
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ""
    let raw: string | undefined
    if (arg === field) {
      raw = argv[i + 1]
      if (raw === undefined || raw.startsWith("--")) return Either.left(invalid(field, "", "needs a value"))
      i++
    } else if (arg.startsWith(`${field}=`)) {
      raw = arg.slice(field.length + 1)
    } else {
      rest.push(arg)
      continue
    }
    const parsed = parseNumberList(field, flag, raw)
    if (Either.isLeft(parsed)) return Either.left(parsed.left)
    values = parsed.right
  }
  return Either.right({ values, rest })
}

/** The help line of a list flag, aligned with `flagHelp`. */
export const listFlagHelp = (name: string, flag: NumberListFlag): string =>
  `  --${name.padEnd(18)} ${flag.default.join(",").padStart(8)}  ${flag.description}`

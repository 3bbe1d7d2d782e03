import { Either, Schema } from "effect"
import { parseArgs } from "node:util"

/** A command-line flag of a bench was unknown, missing its value, or out of range. */
export class InvalidBenchFlag extends Schema.TaggedError<InvalidBenchFlag>()("InvalidBenchFlag", {
  field: Schema.String,
  value: Schema.String,
  message: Schema.String,
}) {}

/** A numeric flag `--name <value>` (or `--name=<value>`). */
export interface NumberFlag {
  readonly default: number
  readonly min: number
  readonly max: number
  readonly integer: boolean
  readonly description: string
}

export type FlagSpec = Readonly<Record<string, NumberFlag>>
export type FlagValues<S extends FlagSpec> = { readonly [K in keyof S]: number }

const invalid = (field: string, value: string, rule: string) =>
  new InvalidBenchFlag({ field, value, message: `${field}: ${JSON.stringify(value)} ${rule}` })

const checkValue = (name: string, flag: NumberFlag, raw: string): Either.Either<number, InvalidBenchFlag> => {
  const field = `--${name}`
  const value = raw.trim() === "" ? Number.NaN : Number(raw)
  if (!Number.isFinite(value)) return Either.left(invalid(field, raw, "is not a number"))
  if (flag.integer && !Number.isInteger(value)) return Either.left(invalid(field, raw, "must be a whole number"))
  if (value < flag.min || value > flag.max) {
    return Either.left(invalid(field, raw, `must be between ${flag.min} and ${flag.max}`))
  }
  return Either.right(value)
}

/**
 * Reads `--name value` / `--name=value` flags of `spec` from `argv` (node's `parseArgs`); missing flags take their
 * default. An unknown flag, a flag without a value, a stray argument or an out-of-range value is an error naming it.
 */
export const parseFlags = <S extends FlagSpec>(
  spec: S,
  argv: ReadonlyArray<string>,
): Either.Either<FlagValues<S>, InvalidBenchFlag> => {
  const names = Object.keys(spec)
  const options = Object.fromEntries(names.map((name) => [name, { type: "string" as const }]))
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true })
  const values: Record<string, number> = Object.fromEntries(names.map((name) => [name, spec[name]?.default ?? 0]))
  for (const token of tokens) {
    if (token.kind === "positional") {
      return Either.left(invalid("argument", token.value, `is not a flag; known flags: ${usage(spec)}`))
    }
    if (token.kind !== "option") continue
    const flag = spec[token.name]
    if (flag === undefined) {
      return Either.left(
        new InvalidBenchFlag({
          field: token.rawName,
          value: token.value ?? "",
          message: `${token.rawName} is not a flag of this bench; known flags: ${usage(spec)}`,
        }),
      )
    }
    if (token.value === undefined) return Either.left(invalid(token.rawName, "", "needs a value"))
    const checked = checkValue(token.name, flag, token.value)
    if (Either.isLeft(checked)) return Either.left(checked.left)
    values[token.name] = checked.right
  }
  return Either.right(values as FlagValues<S>)
}

/** `--name <default>` for every flag, for messages. */
export const usage = (spec: FlagSpec): string =>
  Object.entries(spec)
    .map(([name, flag]) => `--${name} ${flag.default}`)
    .join(" ")

/** One line per flag: name, default and what it means. */
export const flagHelp = (spec: FlagSpec): string =>
  Object.entries(spec)
    .map(([name, flag]) => `  --${name.padEnd(18)} ${String(flag.default).padStart(8)}  ${flag.description}`)
    .join("\n")

import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { type FlagSpec, parseFlags } from "../bench/lib/flags.js"
import { runs } from "./bench-runs.js"

const spec = {
  leads: { default: 100, min: 1, max: 1_000, integer: true, description: "leads" },
  duration: { default: 30, min: 0.5, max: 600, integer: false, description: "seconds" },
  "max-assignments": { default: 10, min: 1, max: 50, integer: true, description: "assignments" },
} as const satisfies FlagSpec
type Name = keyof typeof spec
const names = Object.keys(spec) as Array<Name>

const valueArb = (name: Name) => {
  const flag = spec[name]
  return flag.integer
    ? fc.integer({ min: flag.min, max: flag.max })
    : fc.double({ min: flag.min, max: flag.max, noNaN: true })
}

/** Some of the flags, each with a valid value, written as `--name value` or `--name=value`, in any order. */
const givenArb = fc
  .subarray(names)
  .chain((chosen) =>
    fc.tuple(fc.tuple(...chosen.map((name) => fc.tuple(fc.constant(name), valueArb(name), fc.boolean()))), fc.nat()),
  )
  .map(([given, seed]) => {
    const shuffled = [...given].sort((a, b) => ((a[0].length * 31 + seed) % 7) - ((b[0].length * 31 + seed) % 7))
    return shuffled
  })

const argvOf = (given: ReadonlyArray<readonly [Name, number, boolean]>) =>
  given.flatMap(([name, value, inline]) => (inline ? [`--${name}=${value}`] : [`--${name}`, String(value)]))

describe("parseFlags", () => {
  it.prop(
    "reads back every valid value given, in either form and any order, and the default for the others",
    [givenArb],
    ([given]) => {
      const parsed = parseFlags(spec, argvOf(given))
      expect(Either.isRight(parsed)).toBe(true)
      if (Either.isLeft(parsed)) return
      for (const name of names) {
        const entry = given.find(([n]) => n === name)
        expect(parsed.right[name]).toBe(entry === undefined ? spec[name].default : entry[1])
      }
    },
    runs(),
  )

  it.prop(
    "refuses a value out of range, naming the flag and the value as given",
    [
      fc
        .constantFrom(...names)
        .chain((name) =>
          fc.tuple(
            fc.constant(name),
            fc.oneof(
              fc.integer({ min: -1_000_000, max: Math.floor(spec[name].min) - 1 }),
              fc.integer({ min: Math.ceil(spec[name].max) + 1, max: 10_000_000 }),
            ),
          ),
        ),
    ],
    ([[name, value]]) => {
      const parsed = parseFlags(spec, [`--${name}=${value}`])
      expect(Either.isLeft(parsed)).toBe(true)
      if (Either.isRight(parsed)) return
      expect(parsed.left).toMatchObject({ _tag: "InvalidBenchFlag", field: `--${name}`, value: String(value) })
      expect(parsed.left.message).toContain(`--${name}`)
    },
    runs(),
  )

  it.prop(
    "refuses text that is not a number, and a fraction for a whole-number flag",
    [fc.constantFrom("ten", "", "1e", "0x", "12abc"), fc.double({ min: 1.01, max: 999.99, noNaN: true })],
    ([text, fraction]) => {
      const notNumber = parseFlags(spec, [`--duration=${text}`])
      expect(Either.isLeft(notNumber) && notNumber.left.field === "--duration").toBe(true)
      const notWhole = parseFlags(spec, ["--leads", String(fraction)])
      const isWhole = Number.isInteger(fraction)
      expect(Either.isLeft(notWhole)).toBe(!isWhole)
    },
    runs(),
  )

  it("names an unknown flag, a flag without a value, and a stray argument", () => {
    expect(parseFlags(spec, ["--agents", "5"])).toMatchObject({ left: { field: "--agents" } })
    expect(parseFlags(spec, ["--leads"])).toMatchObject({ left: { field: "--leads", value: "" } })
    expect(parseFlags(spec, ["distributor"])).toMatchObject({ left: { field: "argument", value: "distributor" } })
  })
})

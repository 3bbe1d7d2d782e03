/** `LOG_LEVEL` and `LOG_FORMAT`: what the operator may set, and what the chosen logging writes. */
import { afterEach, describe, expect, it, vi } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import fc from "fast-check"
import { LogConfig, loggingLayer, type LogSettings } from "../src/logging.js"

const read = (env: Record<string, string>) =>
  Effect.runSync(
    Effect.either(Effect.withConfigProvider(LogConfig, ConfigProvider.fromMap(new Map(Object.entries(env))))),
  )

/** What the program writes to the console's log when run with these settings. */
const written = (settings: LogSettings) => {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined)
  Effect.runSync(
    Effect.gen(function* () {
      yield* Effect.logDebug("a debug record")
      yield* Effect.logInfo("an info record").pipe(Effect.annotateLogs("http.status", 200))
      yield* Effect.logWarning("a warning record")
    }).pipe(Effect.provide(loggingLayer(settings))),
  )
  return log.mock.calls.map((args) => args.map(String).join(" "))
}

describe("the server's logging", () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it("defaults to info in the pretty format, and takes any case", () => {
    expect(Either.getOrThrow(read({}))).toEqual({ level: "info", format: "pretty" })
    expect(Either.getOrThrow(read({ LOG_LEVEL: "Warning", LOG_FORMAT: " JSON " }))).toEqual({
      level: "warning",
      format: "json",
    })
  })

  it("refuses any other value, naming the variable and the value", () => {
    const known = ["trace", "debug", "info", "warning", "error", "none", "pretty", "logfmt", "json"]
    fc.assert(
      fc.property(
        fc.constantFrom("LOG_LEVEL", "LOG_FORMAT"),
        fc.string({ minLength: 1 }).filter((s) => !known.includes(s.trim().toLowerCase()) && !s.includes('"')),
        (name, value) => {
          const result = read({ [name]: value })
          expect(Either.isLeft(result)).toBe(true)
          if (Either.isLeft(result)) {
            expect(String(result.left)).toContain(name)
            expect(String(result.left)).toContain(`"${value}"`)
          }
        },
      ),
    )
  })

  it("writes the records at the chosen level and above, one JSON object a line in the json format", () => {
    const info = written({ level: "info", format: "json" }).map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(info.map((record) => [record["logLevel"], record["message"]])).toEqual([
      ["INFO", "an info record"],
      ["WARN", "a warning record"],
    ])
    expect(info[0]?.["annotations"]).toEqual({ "http.status": 200 })

    const warnings = written({ level: "warning", format: "logfmt" })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/level=WARN .*message="a warning record"/)

    expect(written({ level: "debug", format: "logfmt" })).toHaveLength(3)
    expect(written({ level: "none", format: "json" })).toEqual([])
  })

  it("writes each record once, in the pretty format too", () => {
    expect(written({ level: "info", format: "pretty" }).filter((line) => line.includes("an info record"))).toHaveLength(
      1,
    )
  })
})

/**
 * `pnpm bench <name> [flags]`: runs `scripts/bench/<name>.ts`, whose human-readable summary goes to stderr, then
 * prints its metrics as JSON lines `{"bench","metric","value","unit"}` to stdout, last.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Cause, Console, Effect, Exit, Logger, LogLevel } from "effect"
import { readdirSync } from "node:fs"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { isBenchModule } from "./lib/bench.js"
import { InvalidBenchFlag } from "./lib/flags.js"
import { toJsonLine } from "./lib/results.js"

const benchDir = dirname(fileURLToPath(import.meta.url))

/** Every `<name>.ts` beside this file is a bench; helpers live in `lib/`. */
const knownBenches = readdirSync(benchDir)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.slice(0, -".ts".length))
  .sort()

const [name, ...argv] = process.argv.slice(2)

/** Exit codes: 0 done, 1 the bench failed, 2 bad usage (unknown bench or flag), 130 interrupted. */
const main = Effect.gen(function* () {
  if (name === undefined || !knownBenches.includes(name)) {
    const given = name === undefined ? "no bench named" : `unknown bench "${name}"`
    yield* Console.error(
      `${given}; usage: pnpm bench <name> [--help | flags]; known benches: ${knownBenches.join(", ")}`,
    )
    return 2
  }
  const module: unknown = yield* Effect.promise(() => import(`./${name}.js`))
  if (!isBenchModule(module)) return yield* Effect.dieMessage(`scripts/bench/${name}.ts does not export a bench`)
  const metrics = yield* module.bench.run(argv).pipe(
    Effect.catchIf(
      (e): e is InvalidBenchFlag => e instanceof InvalidBenchFlag,
      (e) => Effect.as(Console.error(`${e.message}\n(pnpm bench ${name} --help lists the flags)`), undefined),
    ),
  )
  if (metrics === undefined) return 2
  for (const m of metrics) {
    const line = toJsonLine(m)
    if (line === undefined) yield* Console.error(`metric ${m.metric} has no finite value (${m.value}); not printed`)
    else yield* Console.log(line)
  }
  return 0
})

// Logs go to stderr so that stdout carries only the JSON lines; the process always exits when the bench is done.
main.pipe(
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))),
  Logger.withMinimumLogLevel(LogLevel.Info),
  NodeRuntime.runMain({
    disablePrettyLogger: true,
    teardown: (exit) =>
      process.exit(
        Exit.isSuccess(exit) && typeof exit.value === "number"
          ? exit.value
          : Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)
            ? 130
            : 1,
      ),
  }),
)

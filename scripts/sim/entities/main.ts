/**
 * `pnpm sim --entities [flags]`: the simulated day on the real entities, one day per strategy, each beside the
 * model's day for the same options. A table on stderr, then JSON lines with `"mode":"entities"` on stdout.
 */
import { NodeRuntime } from "@effect/platform-node"
import { TestDatabase } from "@ringmaster/testkit"
import { Cause, Effect, Either, Exit, Logger, LogLevel } from "effect"
import { flagHelp } from "../../bench/lib/flags.js"
import { simulateDay } from "../world.js"
import { runEntityDay } from "./day.js"
import { entityFlags, entityStrategyNames, parseEntityOptions } from "./options.js"
import type { EntitySimOptions } from "./options.js"
import { entityJsonLines, entityTable } from "./report.js"

/** A tenant key no earlier run in the same database has used (ids of one run all share it). */
const runKey = (index: number) => `sim${index}e${Date.now().toString(36)}`

/** Every strategy's day on the entities, one after the other, each in a fresh tenant of one fresh database. */
export const simulateEntityDays = (options: EntitySimOptions) =>
  Effect.forEach(options.strategies, (strategy, i) => Effect.scoped(runEntityDay(options, strategy, runKey(i)))).pipe(
    Effect.provide(TestDatabase.layer),
  )

const usage =
  `usage: pnpm sim --entities [flags]; durations in seconds\n` +
  `  --strategies  ${entityStrategyNames.join(",")}  which strategies to run (comma-separated)\n` +
  `${flagHelp(entityFlags)}\n`

/** Runs the command line (without `--entities`); exits 0 done, 1 failed, 2 bad flags. */
export const main = (argv: ReadonlyArray<string>): void => {
  if (argv.includes("--help")) {
    process.stderr.write(usage)
    process.exit(0)
  }
  const parsed = parseEntityOptions(argv)
  if (Either.isLeft(parsed)) {
    process.stderr.write(`${parsed.left.message}\n(pnpm sim --entities --help lists the flags)\n`)
    process.exit(2)
  }
  const options = parsed.right
  const program = Effect.gen(function* () {
    const started = performance.now()
    const days = yield* simulateEntityDays(options)
    const wallSeconds = (performance.now() - started) / 1000
    const pairs = days.map((entities) => ({ entities, model: simulateDay(options.sim, entities.strategy) }))
    process.stderr.write(
      `on the entities: ${options.sim.agents} agents, ${(options.sim.shiftMs / 3_600_000).toFixed(2)} h shift, ` +
        `seed ${options.sim.seed}, clock step ${options.stepMs / 1000} s\n\n` +
        `${entityTable(pairs)}\n\nsimulated ${days.length} days on the entities in ${wallSeconds.toFixed(1)} s\n`,
    )
    for (const day of days) for (const line of entityJsonLines(day)) process.stdout.write(`${line}\n`)
    process.stdout.write(
      `{"bench":"sim","mode":"entities","strategy":"all","metric":"run_time","value":${wallSeconds.toFixed(3)},"unit":"s"}\n`,
    )
  })
  program.pipe(
    Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))),
    Logger.withMinimumLogLevel(LogLevel.Warning),
    NodeRuntime.runMain({
      disablePrettyLogger: true,
      teardown: (exit) => process.exit(Exit.isSuccess(exit) ? 0 : Cause.isInterruptedOnly(exit.cause) ? 130 : 1),
    }),
  )
}

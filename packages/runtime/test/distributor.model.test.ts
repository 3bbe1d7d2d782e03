/**
 * The distributor's proof: random interleavings of what agents, supervisors and time do, run against the real
 * entities in a whole in-memory cluster and compared after every step with a small reference model
 * (support/model.ts), while invariants 1 to 5 of ARCHITECTURE.md are checked on the real state.
 *
 * `PROPERTY_RUNS` sets how many sequences are generated (default 200). A failing case is appended to
 * regressions/distributor-model.json and replayed first on every later run: its commands as recorded, and its
 * fast-check seed and path while the arbitraries are those it was found with.
 */
import { SqlClient } from "@effect/sql"
import { layer } from "@effect/vitest"
import type { TenantSettings } from "@ringmaster/domain"
import { TestDatabase } from "@ringmaster/testkit"
import { readFileSync, writeFileSync } from "node:fs"
import { Effect, FastCheck as fc } from "effect"
import { type CommandData, commandFromData } from "./support/commands.js"
import { arbitraryVersion, type RunCase, runCaseArbitrary, runDistributorCase } from "./support/distributor-run.js"

const propertyRuns = (fallback: number) => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback
}

interface Regression {
  /** What the case caught, in words (written by hand when the case is kept). */
  readonly caught: string
  readonly seed: number
  readonly path: string
  /** fast-check's replay path of the commands that ran (`replayPath` in the counterexample). */
  readonly replayPath: string
  /** The version of the arbitraries that seed and path belong to. */
  readonly arbitraryVersion: number
  /** The failing case itself, replayed as it is whatever the arbitraries become. */
  readonly case: {
    readonly settings: TenantSettings
    readonly agentCount: number
    readonly cadences?: RunCase["cadences"]
    readonly commands: ReadonlyArray<CommandData>
  }
}

const regressionsFile = new URL("./regressions/distributor-model.json", import.meta.url)
const readRegressions = () => JSON.parse(readFileSync(regressionsFile, "utf8")) as Array<Regression>
const regressions = readRegressions()

/** The commands of a counterexample that ran (fast-check wraps each one and marks those it ran). */
const ranCommands = (c: RunCase): Array<CommandData> =>
  Array.from(c.commands as Iterable<unknown>).flatMap((w) => {
    if (typeof w !== "object" || w === null || !("cmd" in w) || !("hasRan" in w) || w.hasRan !== true) return []
    const cmd = w.cmd as { toJSON?: () => CommandData }
    return cmd.toJSON === undefined ? [] : [cmd.toJSON()]
  })

const keep = (details: fc.RunDetails<[RunCase]>) => {
  const found = details.counterexample?.[0]
  if (!details.failed || details.counterexamplePath === null || found === undefined) return
  const kept: Regression = {
    caught: `(new, describe it) ${String(details.errorInstance ?? details.error).split("\n")[0]}`,
    seed: details.seed,
    path: details.counterexamplePath,
    replayPath: /replayPath="([^"]*)"/.exec(String(found.commands))?.[1] ?? "",
    arbitraryVersion,
    case: {
      settings: found.settings,
      agentCount: found.agentCount,
      cadences: found.cadences ?? [],
      commands: ranCommands(found),
    },
  }
  const current = readRegressions()
  if (current.some((r) => r.seed === kept.seed && r.path === kept.path)) return
  writeFileSync(regressionsFile, JSON.stringify([...current, kept], null, 2) + "\n")
}

const check = (parameters: fc.Parameters<[RunCase]>, replayPath?: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const property = fc.asyncProperty(runCaseArbitrary(replayPath), (c) =>
      Effect.runPromise(runDistributorCase(c).pipe(Effect.provideService(SqlClient.SqlClient, sql))),
    )
    const details = yield* Effect.promise(() => fc.check(property, parameters))
    if (details.failed) {
      keep(details)
      return yield* Effect.die(new Error(fc.defaultReportMessage(details) ?? "the property failed"))
    }
  })

const replay = (r: Regression) =>
  Effect.gen(function* () {
    yield* runDistributorCase({
      settings: r.case.settings,
      agentCount: r.case.agentCount,
      cadences: r.case.cadences ?? [],
      commands: r.case.commands.map(commandFromData),
    })
    if (r.arbitraryVersion === arbitraryVersion) {
      yield* check({ seed: r.seed, path: r.path, numRuns: 1 }, r.replayPath)
    }
  }).pipe(Effect.mapError((e) => new Error(`kept case "${r.caught}" fails again: ${String(e)}`)))

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the distributor", (it) => {
  it.effect(
    `replays the ${regressions.length} kept failing cases`,
    () => Effect.forEach(regressions, replay, { discard: true }),
    600_000,
  )

  it.effect(
    "agrees with the reference model and keeps invariants 1 to 5 under random interleavings",
    () => check({ numRuns: propertyRuns(200) }),
    3_600_000,
  )
})

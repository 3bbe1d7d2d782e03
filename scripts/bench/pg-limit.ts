/**
 * `pnpm bench pg-limit`: the plain PostgreSQL single-row update rate on this machine (pgbench, one UPDATE of a
 * random row per transaction), next to the distributor's assignment rate, as a ratio: how close to the database's
 * own limit the distributor runs.
 */
import { Console, Duration, Effect } from "effect"
import { loadavg } from "node:os"
import type { Bench } from "./lib/bench.js"
import { flagHelp, type FlagValues, parseFlags } from "./lib/flags.js"
import { runSingleRowUpdates } from "./lib/pgbench.js"
import { type BenchMetric, metricsOf } from "./lib/results.js"
import { postgresServerUrl, scratchDatabase } from "./lib/scratch-database.js"

const flagSpec = {
  clients: {
    default: 10,
    min: 1,
    max: 90,
    integer: true,
    description: "pgbench connections (the distributor's pool is 10 by default)",
  },
  threads: { default: 2, min: 1, max: 64, integer: true, description: "pgbench worker threads (at most --clients)" },
  seconds: { default: 10, min: 1, max: 600, integer: true, description: "seconds pgbench runs" },
  scale: { default: 1, min: 1, max: 100, integer: true, description: "pgbench scale: 100,000 rows each" },
  "assignments-per-second": {
    default: 0,
    min: 0,
    max: 10_000_000,
    integer: false,
    description: "the distributor's rate to compare with; 0 runs the distributor bench to measure it",
  },
  "distributor-leads": {
    default: 20_000,
    min: 1,
    max: 2_000_000,
    integer: true,
    description: "when measuring: ready leads of the distributor bench",
  },
  "distributor-duration": {
    default: 10,
    min: 1,
    max: 600,
    integer: false,
    description: "when measuring: seconds of the distributor bench's window",
  },
} as const
type Flags = FlagValues<typeof flagSpec>

const metric = metricsOf("pg-limit")

/** The distributor bench, run in this process: its summary goes to stderr, its assignment rate comes back. */
const measureAssignmentRate = (flags: Flags) =>
  Effect.gen(function* () {
    const { bench: distributor } = yield* Effect.promise(() => import("./distributor.js"))
    const argv = ["--leads", String(flags["distributor-leads"]), "--duration", String(flags["distributor-duration"])]
    yield* Console.error(`measuring the assignment rate: pnpm bench distributor ${argv.join(" ")}`)
    const metrics = yield* distributor.run(argv)
    const rate = metrics.find((m) => m.metric === "assignments_per_second")
    if (rate === undefined) return yield* Effect.dieMessage("the distributor bench reported no assignments_per_second")
    return rate.value
  })

const measure = (flags: Flags) =>
  Effect.gen(function* () {
    const url = yield* scratchDatabase(postgresServerUrl(process.env))
    const threads = Math.min(flags.threads, flags.clients)
    yield* Console.error(
      `pgbench: scale ${flags.scale} (${flags.scale * 100_000} rows), ${flags.clients} clients, ${threads} threads, ` +
        `${flags.seconds} s of single-row updates`,
    )
    const pg = yield* runSingleRowUpdates({
      url,
      scale: flags.scale,
      clients: flags.clients,
      threads,
      seconds: flags.seconds,
    })
    const loadAfterPgbench = loadavg()[0] ?? 0
    return { pg, loadAfterPgbench }
  }).pipe(Effect.scoped)

const report = (
  flags: Flags,
  measured: Effect.Effect.Success<ReturnType<typeof measure>>,
  assignments: { readonly rate: number; readonly measured: boolean },
) =>
  Effect.gen(function* () {
    const { pg } = measured
    const ratio = pg.tps > 0 ? assignments.rate / pg.tps : Number.NaN
    const loadAverage = loadavg()[0] ?? 0
    const lines = [
      `pg-limit bench: PostgreSQL single-row updates (pgbench) against the distributor's assignments`,
      `  pg updates       ${pg.tps.toFixed(0)}/s (${pg.transactions} in ${flags.seconds} s, ${pg.clients ?? flags.clients} ` +
        `clients, average ${pg.latencyAverageMs?.toFixed(2) ?? "?"} ms, ${pg.failed} failed; ` +
        `load ${measured.loadAfterPgbench.toFixed(2)})`,
      `  assignments      ${assignments.rate.toFixed(1)}/s (${assignments.measured ? "measured now by the distributor bench" : "given"})`,
      `  ratio            ${ratio.toFixed(3)} assignments per single-row update`,
      `  machine load     ${loadAverage.toFixed(2)} (1-minute load average at the end)`,
    ]
    yield* Console.error(lines.join("\n"))
    const metrics: Array<BenchMetric> = [
      metric("pg_updates_per_second", pg.tps, "1/s"),
      ...(pg.latencyAverageMs === undefined ? [] : [metric("pg_update_latency_avg", pg.latencyAverageMs, "ms")]),
      metric("pg_failed_transactions", pg.failed, "count"),
      metric("assignments_per_second", assignments.rate, "assignments/s"),
      metric("assignment_to_update_ratio", ratio, "ratio"),
      metric("load_average_1m_after_pgbench", measured.loadAfterPgbench, "load"),
      metric("load_average_1m", loadAverage, "load"),
    ]
    return metrics
  })

export const bench: Bench = {
  description: "PostgreSQL's own single-row update rate (pgbench) next to the distributor's assignment rate",
  run: (argv) =>
    Effect.gen(function* () {
      if (argv.includes("--help")) {
        yield* Console.error(`pnpm bench pg-limit [flags]\n${flagHelp(flagSpec)}`)
        return []
      }
      const flags = yield* parseFlags(flagSpec, argv)
      const limit = Duration.seconds(flags.seconds + 180)
      const measured = yield* measure(flags).pipe(
        Effect.timeoutFail({
          duration: limit,
          onTimeout: () => new Error(`pgbench did not finish within ${Duration.format(limit)}`),
        }),
      )
      const given = flags["assignments-per-second"]
      const assignments =
        given > 0 ? { rate: given, measured: false } : { rate: yield* measureAssignmentRate(flags), measured: true }
      return yield* report(flags, measured, assignments)
    }),
}

/**
 * `pnpm bench connections`: resident memory of a server process on PostgreSQL per 1,000 agent consoles connected
 * over real WebSockets, first connected and idle, then Online.
 */
import type { ConsoleClient } from "@ringmaster/testkit"
import { Console, Duration, Effect } from "effect"
import { loadavg } from "node:os"
import { bringOnline, connectConsoles } from "./lib/agent-consoles.js"
import type { Bench } from "./lib/bench.js"
import { benchServer } from "./lib/bench-server.js"
import { flagHelp, type FlagValues, parseFlags } from "./lib/flags.js"
import { childPid } from "./lib/process-rss.js"
import { type BenchMetric, metricsOf } from "./lib/results.js"
import { postgresServerUrl, scratchDatabase } from "./lib/scratch-database.js"
import { perThousand, type Reading } from "./lib/connection-memory.js"
import { settledResidentBytes } from "./lib/settled-rss.js"

const flagSpec = {
  agents: { default: 2_000, min: 1, max: 20_000, integer: true, description: "agents seeded and connected" },
  step: { default: 1_000, min: 1, max: 20_000, integer: true, description: "memory is read after each this many" },
  settle: {
    default: 5,
    min: 0,
    max: 120,
    integer: false,
    description: "seconds to wait after each step before reading the memory",
  },
  concurrency: { default: 50, min: 1, max: 1_000, integer: true, description: "consoles connecting at once" },
} as const
type Flags = FlagValues<typeof flagSpec>

const metric = metricsOf("connections")
const setupAllowance = Duration.minutes(5)
const MB = 1024 * 1024

const slices = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

const measure = (flags: Flags) =>
  Effect.gen(function* () {
    const url = yield* scratchDatabase(postgresServerUrl(process.env))
    const { server, tenant } = yield* benchServer({ url, agents: flags.agents })
    const pid = childPid("apps/server/src/main.ts")
    if (pid === undefined) return yield* Effect.dieMessage("the server process was not found among this one's children")
    const settle = Duration.seconds(flags.settle)

    const base = yield* settledResidentBytes(pid, settle)
    yield* Console.error(`no connections: rss ${(base / MB).toFixed(1)} MB`)
    const readings: Array<Reading> = []
    const connected: Array<ConsoleClient> = []
    const connectStart = performance.now()
    for (const batch of slices(tenant.agents, flags.step)) {
      const clients = yield* connectConsoles(
        server.baseUrl,
        batch.map((a) => a.token),
        flags.concurrency,
      )
      connected.push(...clients)
      const rss = yield* settledResidentBytes(pid, settle)
      readings.push({ connections: connected.length, online: false, rss })
      yield* Console.error(`${connected.length} connected, idle: rss ${(rss / MB).toFixed(1)} MB`)
    }
    const connectSeconds = (performance.now() - connectStart) / 1000
    let online = 0
    for (const batch of slices(connected, flags.step)) {
      yield* bringOnline(batch, flags.concurrency)
      online += batch.length
      const rss = yield* settledResidentBytes(pid, settle)
      readings.push({ connections: online, online: true, rss })
      yield* Console.error(`${online} of ${connected.length} Online: rss ${(rss / MB).toFixed(1)} MB`)
    }
    return { base, readings, connectSeconds, loadAverage: loadavg()[0] ?? 0 }
  }).pipe(Effect.scoped)

const report = (flags: Flags, measured: Effect.Effect.Success<ReturnType<typeof measure>>) =>
  Effect.gen(function* () {
    const { base, readings, loadAverage } = measured
    const per = perThousand(base, readings)
    const lines = [
      `connections bench: ${flags.agents} agent consoles over WebSockets to one server process on PostgreSQL`,
      `  no connections       rss ${(base / MB).toFixed(1)} MB`,
      ...readings.map(
        (r) =>
          `  ${String(r.connections).padStart(6)} ${r.online ? "Online   " : "connected"}     rss ${(r.rss / MB).toFixed(1)} MB ` +
          `(+${((r.rss - base) / MB).toFixed(1)} MB)`,
      ),
      `  per 1,000 consoles   ${per.connected.toFixed(1)} MB connected (${per.fromNone.toFixed(1)} MB counted from none), ` +
        `${per.online.toFixed(1)} MB Online (${per.onlineExtra.toFixed(1)} MB for going Online)`,
      `  connecting took      ${measured.connectSeconds.toFixed(1)} s (with the memory readings)`,
      `  machine load         ${loadAverage.toFixed(2)} (1-minute load average at the end)`,
    ]
    yield* Console.error(lines.join("\n"))
    const metrics: Array<BenchMetric> = [
      metric("mb_per_1000_connected", per.connected, "MB"),
      metric("mb_per_1000_online", per.online, "MB"),
      metric("mb_per_1000_online_extra", per.onlineExtra, "MB"),
      metric("mb_per_1000_connected_from_none", per.fromNone, "MB"),
      metric("rss_no_connections", base / MB, "MB"),
      ...readings.map((r) => metric(`rss_${r.online ? "online" : "connected"}_${r.connections}`, r.rss / MB, "MB")),
      metric("load_average_1m", loadAverage, "load"),
    ]
    return metrics
  })

export const bench: Bench = {
  description: "resident memory of the server per 1,000 agent consoles connected over WebSockets",
  run: (argv) =>
    Effect.gen(function* () {
      if (argv.includes("--help")) {
        yield* Console.error(`pnpm bench connections [flags]\n${flagHelp(flagSpec)}`)
        return []
      }
      const flags = yield* parseFlags(flagSpec, argv)
      const steps = 2 * Math.ceil(flags.agents / flags.step) + 1
      const limit = Duration.sum(Duration.seconds(steps * (flags.settle + 60)), setupAllowance)
      const measured = yield* measure(flags).pipe(
        Effect.timeoutFail({
          duration: limit,
          onTimeout: () => new Error(`the connections bench did not finish within ${Duration.format(limit)}`),
        }),
      )
      return yield* report(flags, measured)
    }),
}

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
import { collectGarbage, inspectorUrl } from "./lib/inspector-gc.js"
import { childPid, cpuMillis } from "./lib/process-rss.js"
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
  idle: {
    default: 10,
    min: 1,
    max: 600,
    integer: false,
    description: "seconds the server's CPU is measured after each memory reading, with nothing to do",
  },
} as const
type Flags = FlagValues<typeof flagSpec>

const metric = metricsOf("connections")
const setupAllowance = Duration.minutes(5)
const MB = 1024 * 1024

const slices = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

/**
 * The server's memory with some consoles open, in bytes: resident, and the JavaScript heap still in use; and the CPU
 * it spends with those consoles open and nothing to do, in milliseconds per second.
 */
interface Sample {
  readonly rss: number
  readonly heap: number
  readonly idleCpu: number
}

const describe = (what: string, sample: Sample) =>
  Console.error(
    `${what}: rss ${(sample.rss / MB).toFixed(1)} MB, live heap ${(sample.heap / MB).toFixed(1)} MB, ` +
      `idle CPU ${sample.idleCpu.toFixed(1)} ms/s`,
  )

const measure = (flags: Flags) =>
  Effect.gen(function* () {
    const url = yield* scratchDatabase(postgresServerUrl(process.env))
    // The inspector, on a port of its own, lets the bench make the server collect its garbage before a reading.
    const nodeOptions = [process.env["NODE_OPTIONS"], "--inspect=127.0.0.1:0"].filter((o) => o !== undefined)
    const { server, tenant } = yield* benchServer({
      url,
      agents: flags.agents,
      env: { NODE_OPTIONS: nodeOptions.join(" ") },
    })
    const pid = childPid("apps/server/src/main.ts")
    if (pid === undefined) return yield* Effect.dieMessage("the server process was not found among this one's children")
    const inspector = inspectorUrl(server.output())
    if (inspector === undefined) return yield* Effect.dieMessage("the server did not print its inspector's address")
    const settle = Duration.seconds(flags.settle)
    const read = Effect.gen(function* () {
      yield* Effect.sleep(settle)
      const heap = yield* collectGarbage(inspector)
      const rss = yield* settledResidentBytes(pid, Duration.zero)
      const cpuBefore = cpuMillis(pid) ?? Number.NaN
      yield* Effect.sleep(Duration.seconds(flags.idle))
      const idleCpu = ((cpuMillis(pid) ?? Number.NaN) - cpuBefore) / flags.idle
      const sample: Sample = { rss, heap: heap.usedSize, idleCpu }
      return sample
    })

    const base = yield* read
    yield* describe("no connections", base)
    const readings: Array<Reading & { readonly heap: number; readonly idleCpu: number }> = []
    const connected: Array<ConsoleClient> = []
    const connectStart = performance.now()
    for (const batch of slices(tenant.agents, flags.step)) {
      const clients = yield* connectConsoles(
        server.baseUrl,
        batch.map((a) => a.token),
        flags.concurrency,
      )
      connected.push(...clients)
      const sample = yield* read
      readings.push({ connections: connected.length, online: false, ...sample })
      yield* describe(`${connected.length} connected, idle`, sample)
    }
    const connectSeconds = (performance.now() - connectStart) / 1000
    let online = 0
    for (const batch of slices(connected, flags.step)) {
      yield* bringOnline(batch, flags.concurrency)
      online += batch.length
      const sample = yield* read
      readings.push({ connections: online, online: true, ...sample })
      yield* describe(`${online} of ${connected.length} Online`, sample)
    }
    return { base, readings, connectSeconds, loadAverage: loadavg()[0] ?? 0 }
  }).pipe(Effect.scoped)

const mb = (bytes: number) => (bytes / MB).toFixed(1)

const report = (flags: Flags, measured: Effect.Effect.Success<ReturnType<typeof measure>>) =>
  Effect.gen(function* () {
    const { base, readings, loadAverage } = measured
    const per = perThousand(base.rss, readings)
    const live = perThousand(
      base.heap,
      readings.map((r) => ({ ...r, rss: r.heap })),
    )
    const lastConnected = readings.filter((r) => !r.online).at(-1)
    const lastOnline = readings.filter((r) => r.online).at(-1)
    /** CPU (ms/s) that each 1,000 open consoles cost an idle server, counted from no connections. */
    const idleCpuPerThousand = (r: (typeof readings)[number] | undefined) =>
      r === undefined ? Number.NaN : ((r.idleCpu - base.idleCpu) * 1000) / r.connections
    const lines = [
      `connections bench: ${flags.agents} agent consoles over WebSockets to one server process on PostgreSQL`,
      `  no connections       rss ${mb(base.rss)} MB, live heap ${mb(base.heap)} MB (after a full garbage collection)`,
      ...readings.map(
        (r) =>
          `  ${String(r.connections).padStart(6)} ${r.online ? "Online   " : "connected"}     rss ${mb(r.rss)} MB ` +
          `(+${mb(r.rss - base.rss)}), live heap ${mb(r.heap)} MB (+${mb(r.heap - base.heap)}), ` +
          `idle CPU ${r.idleCpu.toFixed(1)} ms/s`,
      ),
      `  per 1,000 consoles   rss: ${per.connected.toFixed(1)} MB connected (${per.fromNone.toFixed(1)} MB counted ` +
        `from none), ${per.online.toFixed(1)} MB Online (${per.onlineExtra.toFixed(1)} MB for going Online)`,
      `                       live heap: ${live.connected.toFixed(1)} MB connected, ${live.online.toFixed(1)} MB Online`,
      `                       idle CPU: ${idleCpuPerThousand(lastConnected).toFixed(1)} ms/s connected, ` +
        `${idleCpuPerThousand(lastOnline).toFixed(1)} ms/s Online (no connections: ${base.idleCpu.toFixed(1)} ms/s)`,
      `  connecting took      ${measured.connectSeconds.toFixed(1)} s (with the memory readings)`,
      `  machine load         ${loadAverage.toFixed(2)} (1-minute load average at the end)`,
    ]
    yield* Console.error(lines.join("\n"))
    const metrics: Array<BenchMetric> = [
      metric("mb_per_1000_connected", per.connected, "MB"),
      metric("mb_per_1000_online", per.online, "MB"),
      metric("mb_per_1000_online_extra", per.onlineExtra, "MB"),
      metric("mb_per_1000_connected_from_none", per.fromNone, "MB"),
      metric("live_heap_mb_per_1000_connected", live.connected, "MB"),
      metric("live_heap_mb_per_1000_online", live.online, "MB"),
      metric("idle_cpu_per_1000_connected", idleCpuPerThousand(lastConnected), "ms/s"),
      metric("idle_cpu_per_1000_online", idleCpuPerThousand(lastOnline), "ms/s"),
      metric("idle_cpu_no_connections", base.idleCpu, "ms/s"),
      metric("rss_no_connections", base.rss / MB, "MB"),
      metric("live_heap_no_connections", base.heap / MB, "MB"),
      ...readings.flatMap((r) => {
        const at = `${r.online ? "online" : "connected"}_${r.connections}`
        return [
          metric(`rss_${at}`, r.rss / MB, "MB"),
          metric(`live_heap_${at}`, r.heap / MB, "MB"),
          metric(`idle_cpu_${at}`, r.idleCpu, "ms/s"),
        ]
      }),
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

/**
 * `pnpm bench distributor`: how fast the Campaign entity hands ready leads to free agents, on PostgreSQL.
 *
 * One process runs the runtime as the server does on PostgreSQL (RuntimeLive, AgentPush.layerLocal, the simulated
 * carrier, a single runner with SQL message and runner storage) on a scratch database holding `--leads` ready
 * leads and `--agents` agents. Every agent is a scripted console that works each lead it is offered at once.
 */
import { SingleRunner } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { SimulatedCarrier } from "@ringmaster/carrier"
import { AgentEntity, CampaignEntity } from "@ringmaster/protocol"
import { AgentPush, clusterTimings, RuntimeLive } from "@ringmaster/runtime"
import { Database, Migrator } from "@ringmaster/store"
import { Console, Deferred, Duration, Effect, Fiber, Layer } from "effect"
import { loadavg } from "node:os"
import { AssignmentRecorder } from "./lib/assignment-recorder.js"
import type { Bench } from "./lib/bench.js"
import { seedBenchTenant, type BenchTenant } from "./lib/bench-tenant.js"
import { withChildScope } from "./lib/child-scope.js"
import { flagHelp, parseFlags, type FlagValues } from "./lib/flags.js"
import { databaseTransactions } from "./lib/database-transactions.js"
import { liveHeapBytes } from "./lib/live-heap.js"
import { type MeasuredWindow, measureWindow } from "./lib/measured-window.js"
import { observedAgentPush } from "./lib/observed-push.js"
import { type LatencySummary, summarize } from "./lib/percentiles.js"
import { type BenchMetric, metricsOf } from "./lib/results.js"
import { postgresServerUrl, scratchDatabase } from "./lib/scratch-database.js"
import { scriptedAgent } from "./lib/scripted-agent.js"

const flagSpec = {
  leads: { default: 100_000, min: 1, max: 2_000_000, integer: true, description: "ready leads in the queue" },
  agents: { default: 500, min: 1, max: 5_000, integer: true, description: "agents, all brought Online" },
  duration: { default: 30, min: 1, max: 600, integer: false, description: "seconds the measured window lasts at most" },
  "max-assignments": {
    default: 10_000,
    min: 1,
    max: 10_000_000,
    integer: true,
    description: "the window also closes after this many assignments",
  },
  warmup: { default: 3, min: 0, max: 120, integer: false, description: "seconds of work before the window opens" },
  pool: { default: 10, min: 2, max: 100, integer: true, description: "PostgreSQL connections (DATABASE_POOL_SIZE)" },
} as const
type Flags = FlagValues<typeof flagSpec>

const metric = metricsOf("distributor")

/** How long one scripted step (accept, hang-up, outcome) may take before it counts as failed. */
const stepTimeout = Duration.seconds(30)
/** Set-up (seeding, queue load) and shut-down on top of the warm-up and the window; then the run gives up. */
const setupAllowance = Duration.minutes(5)
/** What the simulated far end does: rings 10–20 ms and would talk for ten minutes (the agent hangs up first). */
const carrierConfig = {
  ringMs: { min: 10, max: 20 },
  greetingMs: { min: 10, max: 20 },
  talkMs: { min: 600_000, max: 600_000 },
  idPrefix: `bench-${Date.now().toString(36)}`,
}

const megabytes = (bytes: number) => bytes / (1024 * 1024)

const runtimeLayer = (recorder: AssignmentRecorder) =>
  RuntimeLive.pipe(
    Layer.provideMerge(observedAgentPush(recorder.observe)),
    Layer.provideMerge(SimulatedCarrier.layer(carrierConfig)),
    Layer.provideMerge(SingleRunner.layer({ runnerStorage: "sql", shardingConfig: clusterTimings })),
  )

interface Measured {
  readonly queueLoadMs: number
  readonly queued: number
  readonly rssBeforeLoad: number
  readonly rssAfterLoad: number
  readonly window: MeasuredWindow
  readonly rssEnd: number
  readonly heapUsedEnd: number
  /** Heap still reachable after a full collection; undefined when it could not be forced. */
  readonly liveHeapEnd: number | undefined
  readonly leftInQueue: number
  readonly leadsOfferedTwice: number
  /** The machine's 1-minute load average when the window closed: other work on it skews every figure. */
  readonly loadAverage: number
}

/** Loads the queue, brings every agent Online, and measures; stops the agents before returning. */
const exercise = (flags: Flags, bench: BenchTenant, recorder: AssignmentRecorder) =>
  Effect.gen(function* () {
    const campaign = (yield* CampaignEntity.client)(bench.tenant.campaignId)
    const agents = yield* AgentEntity.client
    const push = yield* AgentPush
    const sql = yield* SqlClient.SqlClient

    yield* Console.error(`loading the queue: activating the campaign with ${flags.leads} ready leads`)
    const rssBeforeLoad = process.memoryUsage().rss
    const loadStart = performance.now()
    const loaded = yield* campaign.Stats()
    const queueLoadMs = performance.now() - loadStart
    const rssAfterLoad = process.memoryUsage().rss
    if (loaded.ready !== flags.leads) {
      return yield* Effect.dieMessage(`the campaign loaded ${loaded.ready} ready leads, expected ${flags.leads}`)
    }

    const stop = yield* Deferred.make<void>()
    const fibers = yield* Effect.forEach(bench.tenant.agents, ({ agentId }) =>
      Effect.flatMap(push.subscribe(agentId), (inbox) =>
        Effect.forkScoped(
          scriptedAgent({
            agentId,
            agent: agents(agentId),
            inbox,
            disposition: bench.terminalDisposition,
            stepTimeout,
            stop,
            events: recorder,
          }),
        ),
      ),
    )
    yield* Console.error(`bringing ${flags.agents} agents Online; warm-up ${flags.warmup} s, then the window`)
    yield* Effect.forEach(
      bench.tenant.agents,
      ({ agentId }) => agents(agentId).SetState({ state: "Online", source: "agent" }),
      { concurrency: 32, discard: true },
    )
    const window = yield* measureWindow(
      {
        warmupSeconds: flags.warmup,
        durationSeconds: flags.duration,
        maxAssignments: flags["max-assignments"],
        leads: flags.leads,
      },
      recorder,
      // Both readings lag the work by up to a second (backends report once a second), alike at a steady rate.
      Effect.map(databaseTransactions, (n) => n - 1).pipe(Effect.provideService(SqlClient.SqlClient, sql)),
    )
    const { rss: rssEnd, heapUsed: heapUsedEnd } = process.memoryUsage()
    const liveHeapEnd = liveHeapBytes()
    const loadAverage = loadavg()[0] ?? 0

    yield* Console.error(`window closed (${window.closedBy}); stopping the agents after their current step`)
    yield* Deferred.succeed(stop, undefined)
    const [took, finished] = yield* Fiber.joinAll(fibers).pipe(
      Effect.timeout(Duration.sum(stepTimeout, Duration.seconds(5))),
      Effect.option,
      Effect.timed,
    )
    yield* Console.error(
      finished._tag === "None"
        ? "some agents did not stop in time; interrupting them"
        : `the agents stopped in ${Duration.format(took)}`,
    )
    const stats = yield* campaign.Stats()
    const [twice] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM
      (SELECT lead_id FROM offers GROUP BY lead_id HAVING count(*) > 1) AS repeated`
    const measured: Measured = {
      queueLoadMs,
      queued: loaded.ready,
      rssBeforeLoad,
      rssAfterLoad,
      window,
      rssEnd,
      heapUsedEnd,
      liveHeapEnd,
      leftInQueue: stats.ready,
      leadsOfferedTwice: twice?.n ?? 0,
      loadAverage,
    }
    return measured
  }).pipe(Effect.scoped)

const within = (start: number, end: number) => (at: number) => at >= start && at <= end

const latencyMetrics = (name: string, summary: LatencySummary | undefined): Array<BenchMetric> =>
  summary === undefined ? [] : [metric(`${name}_p50`, summary.p50, "ms"), metric(`${name}_p99`, summary.p99, "ms")]

const describeLatency = (summary: LatencySummary | undefined) =>
  summary === undefined
    ? "no samples"
    : `p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms, max ${summary.max.toFixed(2)} ms ` +
      `(${summary.count} samples)`

const report = (flags: Flags, seedMs: number, measured: Measured, recorder: AssignmentRecorder) =>
  Effect.gen(function* () {
    const { start, end } = measured.window
    const inWindow = within(start, end)
    const assigned = recorder.assignments.filter((a) => inWindow(a.confirmedAt))
    const seconds = (end - start) / 1000
    const throughput = seconds > 0 ? assigned.length / seconds : 0
    const decisions = summarize(
      recorder.decisions.filter((d) => inWindow(d.notifiedAt)).map((d) => d.notifiedAt - d.freeAt),
    )
    const accepts = summarize(assigned.map((a) => a.confirmedAt - a.sentAt))
    const failures = Array.from(recorder.failures.values()).reduce((sum, n) => sum + n, 0)
    const cpuPerAssignment = assigned.length > 0 ? measured.window.cpuMs / assigned.length : Number.NaN
    const transactionsPerAssignment = assigned.length > 0 ? measured.window.counted / assigned.length : Number.NaN
    const fibersPerAssignment = assigned.length > 0 ? measured.window.fibers / assigned.length : Number.NaN

    const lines = [
      `distributor bench: ${flags.leads} ready leads, ${flags.agents} agents, PostgreSQL, pool ${flags.pool}`,
      `  seeding                ${(seedMs / 1000).toFixed(2)} s`,
      `  queue load             ${measured.queueLoadMs.toFixed(0)} ms for ${measured.queued} leads ` +
        `(rss ${megabytes(measured.rssBeforeLoad).toFixed(0)} MB before, ${megabytes(measured.rssAfterLoad).toFixed(0)} MB after)`,
      `  window                 ${seconds.toFixed(2)} s after ${flags.warmup} s of warm-up, closed by ${measured.window.closedBy}`,
      `  assignments            ${assigned.length} (${throughput.toFixed(1)}/s; target >= 1000/s)`,
      `  decision latency       ${describeLatency(decisions)} (target p99 < 10 ms)`,
      `  cpu per assignment     ${cpuPerAssignment.toFixed(2)} ms of this process ` +
        `(${((measured.window.cpuMs / 1000 / seconds) * 100).toFixed(0)}% of one core over the window)`,
      `  database transactions  ${transactionsPerAssignment.toFixed(1)} an assignment`,
      `  fibers started         ${fibersPerAssignment.toFixed(1)} an assignment (the runtime's and the scripted agents')`,
      `  accept round trip      ${describeLatency(accepts)}`,
      `  memory at the end      rss ${megabytes(measured.rssEnd).toFixed(0)} MB, heap used ${megabytes(measured.heapUsedEnd).toFixed(0)} MB, ` +
        `live heap after a full GC ${measured.liveHeapEnd === undefined ? "unknown" : `${megabytes(measured.liveHeapEnd).toFixed(0)} MB`}; ` +
        `${measured.leftInQueue} leads still queued`,
      `  leads offered twice    ${measured.leadsOfferedTwice}`,
      `  machine load           ${measured.loadAverage.toFixed(2)} (1-minute load average at the end of the window)`,
      `  failed steps           ${failures}`,
      ...Array.from(recorder.failures, ([what, n]) => `    ${n} x ${what}`),
    ]
    yield* Console.error(lines.join("\n"))

    const metrics: Array<BenchMetric> = [
      metric("assignments_per_second", throughput, "assignments/s"),
      metric("assignments", assigned.length, "count"),
      metric("window", seconds, "s"),
      ...latencyMetrics("decision_latency", decisions),
      ...latencyMetrics("accept_round_trip", accepts),
      metric("cpu_per_assignment", cpuPerAssignment, "ms"),
      metric("database_transactions_per_assignment", transactionsPerAssignment, "count"),
      metric("fibers_per_assignment", fibersPerAssignment, "count"),
      metric("queue_load", measured.queueLoadMs, "ms"),
      metric("rss_after_queue_load", megabytes(measured.rssAfterLoad), "MB"),
      metric("rss", megabytes(measured.rssEnd), "MB"),
      ...(measured.liveHeapEnd === undefined ? [] : [metric("live_heap", megabytes(measured.liveHeapEnd), "MB")]),
      metric("failed_steps", failures, "count"),
      metric("load_average_1m", measured.loadAverage, "load"),
    ]
    return metrics
  })

const measure = (flags: Flags) =>
  Effect.gen(function* () {
    const url = yield* scratchDatabase(postgresServerUrl(process.env))
    return yield* withChildScope("the database pool", "20 seconds", (databaseScope) =>
      Effect.gen(function* () {
        const database = yield* Layer.buildWithScope(
          Migrator.layer.pipe(Layer.provideMerge(Database.layerPostgres({ url, maxConnections: flags.pool }))),
          databaseScope,
        )
        yield* Console.error(`seeding ${flags.agents} agents and ${flags.leads} ready leads`)
        const seedStart = performance.now()
        const bench = yield* seedBenchTenant({ agents: flags.agents, leads: flags.leads, now: Date.now() }).pipe(
          Effect.provide(database),
        )
        const seedMs = performance.now() - seedStart
        const recorder = new AssignmentRecorder()
        const measured = yield* withChildScope("the runtime", "30 seconds", (runtimeScope) =>
          Effect.flatMap(
            Layer.buildWithScope(
              runtimeLayer(recorder).pipe(Layer.provideMerge(Layer.succeedContext(database))),
              runtimeScope,
            ),
            (runtime) => exercise(flags, bench, recorder).pipe(Effect.provide(runtime)),
          ),
        )
        return yield* report(flags, seedMs, measured, recorder)
      }),
    )
    // As the server runs: no tracer (apps/server/src/main.ts).
  }).pipe(Effect.scoped, Effect.withTracerEnabled(false))

export const bench: Bench = {
  description: "ready leads handed to Online agents by the Campaign entity, on PostgreSQL",
  run: (argv) =>
    Effect.gen(function* () {
      if (argv.includes("--help")) {
        yield* Console.error(`pnpm bench distributor [flags]\n${flagHelp(flagSpec)}`)
        return []
      }
      const flags = yield* parseFlags(flagSpec, argv)
      const limit = Duration.sum(Duration.seconds(flags.warmup + flags.duration), setupAllowance)
      return yield* measure(flags).pipe(
        Effect.timeoutFail({
          duration: limit,
          onTimeout: () => new Error(`the distributor bench did not finish within ${Duration.format(limit)}`),
        }),
      )
    }),
}

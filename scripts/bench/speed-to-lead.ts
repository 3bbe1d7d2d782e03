/**
 * `pnpm bench speed-to-lead`: from the POST of a lead on the control plane to its Notification arriving at an
 * agent's console over a real WebSocket, with a server process on PostgreSQL (a single runner) and `--agents`
 * consoles Online. Leads are posted at fixed rates (an open loop: a slow reply does not slow the sending), one
 * phase per rate of `--rates`. With `--talk`, each agent stays on its call that long before hanging up.
 */
import { DispositionId } from "@ringmaster/domain"
import type { ConsoleClient } from "@ringmaster/testkit"
import { Database } from "@ringmaster/store"
import { Console, Duration, Effect, Either, Layer } from "effect"
import { loadavg } from "node:os"
import { bringOnline, connectConsoles } from "./lib/agent-consoles.js"
import type { Bench } from "./lib/bench.js"
import { benchServer } from "./lib/bench-server.js"
import { benchTenantKey } from "./lib/bench-tenant.js"
import { flagHelp, type FlagValues, parseFlags } from "./lib/flags.js"
import { firstNotifications, type SentLead, type SpeedToLead, speedToLead } from "./lib/lead-latency.js"
import { LeadWorkers, workLeads } from "./lib/lead-worker.js"
import { listFlagHelp, type NumberListFlag, takeNumberList } from "./lib/list-flag.js"
import { runOpenLoop, sendOffsets } from "./lib/open-loop.js"
import { checkAgentsForTalk, metricNumber, talkSuffix } from "./lib/talk-time.js"
import { databaseTransactions } from "./lib/database-transactions.js"
import { postgresCpuMs } from "./lib/postgres-cpu.js"
import { processCpuMs } from "./lib/process-cpu.js"
import { childPid } from "./lib/process-rss.js"
import { type LatencySummary, summarize } from "./lib/percentiles.js"
import { type BenchMetric, metricsOf } from "./lib/results.js"
import { postgresServerUrl, scratchDatabase } from "./lib/scratch-database.js"

const ratesFlag: NumberListFlag = {
  default: [10, 100],
  min: 0.1,
  max: 5_000,
  integer: false,
  description: "leads per second, one phase per rate, in this order",
}
const flagSpec = {
  agents: { default: 200, min: 1, max: 5_000, integer: true, description: "agent consoles over WebSockets, Online" },
  seconds: { default: 20, min: 1, max: 600, integer: false, description: "seconds each rate lasts" },
  warmup: {
    default: 3,
    min: 0,
    max: 120,
    integer: false,
    description: "seconds of leads at the first rate before the phases (not measured)",
  },
  drain: {
    default: 10,
    min: 1,
    max: 300,
    integer: false,
    description: "seconds after a phase's last POST to wait for its notifications",
  },
  pool: { default: 10, min: 2, max: 100, integer: true, description: "PostgreSQL connections of the server" },
  talk: {
    default: 0,
    min: 0,
    max: 600,
    integer: false,
    description: "seconds an agent stays on each call before hanging up (0: at once)",
  },
} as const
type Flags = FlagValues<typeof flagSpec>

const metric = metricsOf("speed-to-lead")
/** Set-up (seeding, the server's start, connecting the consoles) and shut-down; then the run gives up. */
const setupAllowance = Duration.minutes(5)
/**
 * After its drain, a phase waits at most this long, plus the agents' talk time, for the agents to finish the leads
 * they are working.
 */
const settleMs = 70_000
/** A POST not answered within this long counts as failed ("no reply"). */
const postTimeoutMs = 60_000
/** How many consoles connect, or go Online, at once. */
const connectConcurrency = 20

interface PostedLead extends SentLead {
  /** "201", another HTTP status, or "no reply". */
  readonly outcome: string
}

interface Phase {
  readonly rate: number
  readonly result: SpeedToLead
  readonly latency: LatencySummary | undefined
  readonly sendingSeconds: number
  readonly maxLagMs: number
  readonly outcomes: ReadonlyMap<string, number>
  readonly loadAverage: number
  /** CPU time (user + system) of the server process and of this one from the phase's start to its end, in ms. */
  readonly serverCpuMs: number
  readonly databaseCpuMs: number
  /** Transactions (statements, mostly) the database counted over the phase. */
  readonly databaseTransactions: number
  readonly benchCpuMs: number
  readonly wallMs: number
  /** Agents not working a lead when the phase's first POST left, and once its last lead was notified. */
  readonly freeAtStart: number
  readonly freeAtEnd: number
  /** The fewest agents free at any moment of the phase (sending, drain and settling). */
  readonly fewestFree: number
}

const sleepMs = (ms: number) => Effect.sleep(Duration.millis(ms))

const runPhase = (options: {
  readonly rate: number
  readonly seconds: number
  readonly drainSeconds: number
  readonly settleMs: number
  readonly post: (n: number) => Promise<PostedLead>
  readonly clients: ReadonlyArray<ConsoleClient>
  readonly workers: LeadWorkers
  readonly serverPid: number
}) =>
  Effect.gen(function* () {
    const { rate, workers } = options
    const offsets = sendOffsets(rate, options.seconds)
    yield* Console.error(`  ${rate} leads/s for ${options.seconds} s: ${offsets.length} leads`)
    const agents = options.clients.length
    const freeAtStart = agents - workers.working
    workers.resetPeak()
    const serverCpuAtStart = processCpuMs(options.serverPid) ?? Number.NaN
    const databaseCpuAtStart = postgresCpuMs()
    const transactionsAtStart = yield* databaseTransactions
    const benchCpuAtStart = process.cpuUsage()
    const started = performance.now()
    const run = yield* Effect.tryPromise({
      try: (signal) => runOpenLoop(offsets, options.post, signal),
      catch: (e) => new Error(`sending the leads failed: ${String(e)}`),
    })
    const sendingSeconds = (performance.now() - started) / 1000

    const created = run.results.flatMap((r) => (r.leadId === undefined ? [] : [r.leadId]))
    const drainUntil = performance.now() + options.drainSeconds * 1000
    while (created.some((id) => !workers.taken.has(id)) && performance.now() < drainUntil) yield* sleepMs(50)
    const freeAtEnd = agents - workers.working
    const settleUntil = performance.now() + options.settleMs
    while (workers.working > 0 && performance.now() < settleUntil) yield* sleepMs(50)
    const loadAverage = loadavg()[0] ?? 0
    const serverCpuMs = (processCpuMs(options.serverPid) ?? Number.NaN) - serverCpuAtStart
    const databaseCpuMs = postgresCpuMs() - databaseCpuAtStart
    const benchCpu = process.cpuUsage(benchCpuAtStart)
    const wallMs = performance.now() - started
    // The last second's counts reach the statistics a moment later.
    yield* sleepMs(1_500)
    const transactions = (yield* databaseTransactions) - transactionsAtStart - 1

    const result = speedToLead(run.results, firstNotifications(options.clients.map((c) => c.received)))
    const outcomes = new Map<string, number>()
    for (const r of run.results) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1)
    const phase: Phase = {
      rate,
      result,
      latency: summarize(result.latencies),
      sendingSeconds,
      maxLagMs: run.maxLagMs,
      outcomes,
      loadAverage,
      serverCpuMs,
      databaseCpuMs,
      databaseTransactions: transactions,
      benchCpuMs: (benchCpu.user + benchCpu.system) / 1000,
      wallMs,
      freeAtStart,
      freeAtEnd,
      fewestFree: agents - workers.peakWorking,
    }
    return phase
  })

const describePhase = (p: Phase): string => {
  const l = p.latency
  const latency =
    l === undefined
      ? "no notification"
      : `p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms, mean ${l.mean.toFixed(1)} ms`
  const failures = Array.from(p.outcomes)
    .filter(([outcome]) => outcome !== "201")
    .map(([outcome, n]) => `${n} x ${outcome}`)
  return [
    `  ${String(p.rate).padStart(6)} leads/s  ${latency}`,
    `                  ${p.result.sent} sent in ${p.sendingSeconds.toFixed(1)} s (sender at most ` +
      `${p.maxLagMs.toFixed(0)} ms behind its schedule), ${p.result.notified} notified, ${p.result.lost} lost, ` +
      `${p.result.postFailures} POST failures${failures.length === 0 ? "" : ` (${failures.join(", ")})`}`,
    `                  cpu: server ${(p.serverCpuMs / Math.max(1, p.result.sent)).toFixed(1)} ms a lead ` +
      `(${(p.serverCpuMs / p.wallMs).toFixed(2)} cores), PostgreSQL ` +
      `${(p.databaseCpuMs / Math.max(1, p.result.sent)).toFixed(1)} ms and ` +
      `${(p.databaseTransactions / Math.max(1, p.result.sent)).toFixed(1)} transactions a lead, this bench ${(p.benchCpuMs / p.wallMs).toFixed(2)} cores ` +
      `over ${(p.wallMs / 1000).toFixed(1)} s; load ${p.loadAverage.toFixed(2)}`,
    `                  agents free: ${p.freeAtStart} at the start, ${p.freeAtEnd} once every lead was notified, ` +
      `${p.fewestFree} at the fewest`,
  ].join("\n")
}

const phaseMetrics = (p: Phase, talkSeconds: number): Array<BenchMetric> => {
  const at = `at_${metricNumber(p.rate)}_per_s${talkSuffix(talkSeconds)}`
  const l = p.latency
  return [
    ...(l === undefined
      ? []
      : [
          metric(`p50_${at}`, l.p50, "ms"),
          metric(`p90_${at}`, l.p90, "ms"),
          metric(`p99_${at}`, l.p99, "ms"),
          metric(`max_${at}`, l.max, "ms"),
        ]),
    metric(`sent_${at}`, p.result.sent, "count"),
    metric(`notified_${at}`, p.result.notified, "count"),
    metric(`lost_${at}`, p.result.lost, "count"),
    metric(`post_failures_${at}`, p.result.postFailures, "count"),
    metric(`server_cpu_per_lead_${at}`, p.serverCpuMs / Math.max(1, p.result.sent), "ms"),
    metric(`database_cpu_per_lead_${at}`, p.databaseCpuMs / Math.max(1, p.result.sent), "ms"),
    metric(`database_transactions_per_lead_${at}`, p.databaseTransactions / Math.max(1, p.result.sent), "count"),
    metric(`load_average_1m_${at}`, p.loadAverage, "load"),
    metric(`free_agents_at_start_${at}`, p.freeAtStart, "count"),
    metric(`free_agents_at_end_${at}`, p.freeAtEnd, "count"),
    metric(`fewest_free_agents_${at}`, p.fewestFree, "count"),
  ]
}

const measure = (flags: Flags, rates: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const url = yield* scratchDatabase(postgresServerUrl(process.env))
    const { server, tenant } = yield* benchServer({
      url,
      agents: flags.agents,
      env: { DATABASE_POOL_SIZE: String(flags.pool) },
    })
    yield* Console.error(`connecting ${flags.agents} agent consoles and bringing them Online`)
    const clients = yield* connectConsoles(
      server.baseUrl,
      tenant.agents.map((a) => a.token),
      connectConcurrency,
    )
    yield* bringOnline(clients, connectConcurrency)
    const serverPid = childPid("apps/server/src/main.ts")
    if (serverPid === undefined) {
      return yield* Effect.dieMessage("the server process was not found among this one's children")
    }

    const disposition = DispositionId.make(`${benchTenantKey}-disposition-not-interested`)
    const workers = new LeadWorkers()
    // Stopping lets each agent finish the step it is in, for a few seconds at most: after a failure or Ctrl-C the
    // server may never answer it.
    yield* Effect.acquireRelease(
      Effect.sync(() => Promise.all(clients.map((c) => workLeads(c, disposition, workers, flags.talk * 1000)))),
      (working) =>
        Effect.sync(() => workers.stop()).pipe(
          Effect.zipRight(
            Effect.promise(() => working).pipe(Effect.interruptible, Effect.timeout(Duration.seconds(5))),
          ),
          Effect.ignore,
        ),
    )

    let leadNumber = 0
    const post = async (): Promise<PostedLead> => {
      const n = ++leadNumber
      const body = JSON.stringify({
        name: `Bench Lead ${n}`,
        phone: `+1415${2_000_000 + n}`,
        leadTypeId: tenant.leadTypes.injury,
        campaignId: tenant.campaignId,
      })
      const sentAt = Date.now()
      try {
        const response = await fetch(`${server.baseUrl}/leads`, {
          method: "POST",
          headers: { authorization: `Bearer ${tenant.supervisor.token}`, "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(postTimeoutMs),
        })
        const reply: unknown = await response.json().catch(() => null)
        const id = typeof reply === "object" && reply !== null && "id" in reply ? reply.id : undefined
        const created = response.status === 201 && typeof id === "string"
        return { sentAt, leadId: created ? id : undefined, outcome: String(response.status) }
      } catch {
        return { sentAt, leadId: undefined, outcome: "no reply" }
      }
    }

    const phaseSettleMs = settleMs + flags.talk * 1000
    // The bench's own connection, to read the database's statistics.
    const statistics = yield* Layer.build(Database.layerPostgres({ url, maxConnections: 1 }))
    const phase = (rate: number, seconds: number) =>
      runPhase({
        rate,
        seconds,
        drainSeconds: flags.drain,
        settleMs: phaseSettleMs,
        post,
        clients,
        workers,
        serverPid,
      }).pipe(Effect.provide(statistics))
    const first = rates[0] ?? 1
    if (flags.warmup > 0) {
      yield* Console.error(`warm-up: ${first} leads/s for ${flags.warmup} s`)
      yield* phase(first, flags.warmup)
    }
    yield* Console.error(`phases (${flags.seconds} s each, then up to ${flags.drain} s for the last notifications):`)
    const phases: Array<Phase> = []
    for (const rate of rates) phases.push(yield* phase(rate, flags.seconds))
    return { phases, workers }
  }).pipe(Effect.scoped)

const report = (flags: Flags, phases: ReadonlyArray<Phase>, workers: LeadWorkers) =>
  Effect.gen(function* () {
    const loadAverage = loadavg()[0] ?? 0
    const talking = flags.talk > 0
    const suffix = talkSuffix(flags.talk)
    const lines = [
      `speed-to-lead bench: ${flags.agents} agents Online over WebSockets, one server process on PostgreSQL ` +
        `(pool ${flags.pool}); from just before the POST /leads to the Notification at a console`,
      talking
        ? `  each agent stays on its call ${flags.talk} s after accepting, then hangs up: a burst into free agents`
        : `  each agent hangs up at once: the server does the whole lead cycle for every lead`,
      ...phases.map(describePhase),
      `  target           p99 < 250 ms at 100 leads/s`,
      `  failed steps     ${workers.failedSteps} (agents' accept, hang-up, outcome)`,
      ...Array.from(workers.failures, ([what, n]) => `    ${n} x ${what}`),
      ...(talking ? [`  far-end hang-ups ${workers.farEndHangups} (calls ended by the customer before the talk)`] : []),
      `  machine load     ${loadAverage.toFixed(2)} (1-minute load average at the end)`,
    ]
    yield* Console.error(lines.join("\n"))
    return [
      ...phases.flatMap((p) => phaseMetrics(p, flags.talk)),
      metric(`failed_steps${suffix}`, workers.failedSteps, "count"),
      ...(talking ? [metric(`far_end_hangups${suffix}`, workers.farEndHangups, "count")] : []),
      metric("load_average_1m", loadAverage, "load"),
    ]
  })

export const bench: Bench = {
  description: "from POST /leads to the Notification at an agent's WebSocket, at fixed rates, on PostgreSQL",
  run: (argv) =>
    Effect.gen(function* () {
      if (argv.includes("--help")) {
        yield* Console.error(
          `pnpm bench speed-to-lead [flags]\n${listFlagHelp("rates", ratesFlag)}\n${flagHelp(flagSpec)}`,
        )
        return []
      }
      const listed = takeNumberList("rates", ratesFlag, argv)
      if (Either.isLeft(listed)) return yield* listed.left
      const flags = yield* parseFlags(flagSpec, listed.right.rest)
      const rates = listed.right.values
      const stretches = [
        ...(flags.warmup > 0 ? [{ rate: rates[0] ?? 1, seconds: flags.warmup, warmup: true }] : []),
        ...rates.map((rate) => ({ rate, seconds: flags.seconds, warmup: false })),
      ]
      yield* checkAgentsForTalk({ agents: flags.agents, talkSeconds: flags.talk, stretches })
      const perPhase = flags.seconds + flags.drain + settleMs / 1000 + flags.talk
      const limit = Duration.sum(Duration.seconds(flags.warmup + perPhase * (rates.length + 1)), setupAllowance)
      const { phases, workers } = yield* measure(flags, rates).pipe(
        Effect.timeoutFail({
          duration: limit,
          onTimeout: () => new Error(`the speed-to-lead bench did not finish within ${Duration.format(limit)}`),
        }),
      )
      return yield* report(flags, phases, workers)
    }),
}

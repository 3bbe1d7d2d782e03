/**
 * `pnpm bench cadence-edit`: a supervisor's `PUT /cadences/{statusId}` through the real HTTP server on PostgreSQL,
 * over a status with `--waiting` leads waiting for their next attempt and `--ready` leads queued. Three edits, each
 * timed from the request to its answer: one that moves every waiting lead later, one that brings every one forward
 * (then the time until each has its timer stored, which happens after the answer), and one that changes only the
 * priority (the queued leads move in the campaign's queue). After each, every lead is checked.
 */
import { SqlClient } from "@effect/sql"
import { Database, type SeededTenant } from "@ringmaster/store"
import { Console, Duration, Effect } from "effect"
import { loadavg } from "node:os"
import { api } from "../../test/e2e/support/server-process.js"
import type { Bench } from "./lib/bench.js"
import { benchServer } from "./lib/bench-server.js"
import { flagHelp, parseFlags } from "./lib/flags.js"
import { metricsOf } from "./lib/results.js"
import { postgresServerUrl, scratchDatabase } from "./lib/scratch-database.js"

const flagSpec = {
  waiting: {
    default: 10_000,
    min: 1,
    max: 1_000_000,
    integer: true,
    description: "leads of the status waiting for their next attempt",
  },
  ready: { default: 10_000, min: 0, max: 1_000_000, integer: true, description: "leads of the status queued (ready)" },
} as const

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/**
 * The demo's "Call back" cadence is 30 min, 2 h, 1 d. The leads were called twice in the status, last 30 min ago, so
 * the waiting ones are due 2 h after that. The edits move that second delay.
 */
const FIRST_DELAY = 30 * MINUTE
const SECOND_DELAY = 2 * HOUR
const edits = { later: 4 * HOUR, forward: HOUR } as const
/** The longest the bench waits for the timers of leads brought forward. */
const timersLimitMs = 10 * 60_000

export const bench: Bench = {
  description: "a cadence edit over many waiting and queued leads: the PUT's answer time and the timers after it",
  run: (argv) =>
    Effect.gen(function* () {
      if (argv.includes("--help")) {
        yield* Console.error(`pnpm bench cadence-edit [flags]\n${flagHelp(flagSpec)}`)
        return []
      }
      const flags = yield* parseFlags(flagSpec, argv)
      const metric = metricsOf("cadence-edit")
      const url = yield* scratchDatabase(postgresServerUrl(process.env))
      const database = Database.layerPostgres({ url, maxConnections: 2 })
      const run = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) => Effect.provide(effect, database)

      const contactedAt = Date.now() - 30 * MINUTE
      // Set-based seeding before the server starts, so that its campaign loads the ready leads.
      const seed = (tenant: SeededTenant) =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, stage,
              attempts, attempts_in_status, last_contact_at, next_attempt_at, created_at, updated_at)
            SELECT 'bench-lead-' || lpad(g::text, 7, '0'), ${tenant.tenantId}, ${tenant.campaignId},
              ${tenant.leadTypes.injury}, ${tenant.statuses.callback}, 'Bench Lead ' || g, '+1415' || (2000000 + g)::text,
              CASE WHEN g <= ${flags.waiting}::int THEN 'waiting' ELSE 'ready' END, 2, 2, ${contactedAt}::bigint,
              CASE WHEN g <= ${flags.waiting}::int THEN ${contactedAt + SECOND_DELAY}::bigint
                ELSE ${contactedAt}::bigint END,
              ${contactedAt - DAY}::bigint, ${contactedAt}::bigint
            FROM generate_series(1, ${flags.waiting + flags.ready}::int) AS g`
          yield* sql`ANALYZE leads`
        })
      const { server, tenant } = yield* benchServer({ url, agents: 1, seed })
      const statusId = tenant.statuses.callback
      const supervisor = api(server.baseUrl, tenant.supervisor.token)
      const queueOf = () => supervisor.get(`/campaigns/${tenant.campaignId}/queue?limit=1`)
      yield* Effect.promise(queueOf)

      const put = (delaysMs: ReadonlyArray<number>, priority: number) =>
        Effect.promise(async () => {
          const started = performance.now()
          const answer = await supervisor.put(`/cadences/${statusId}`, {
            delaysMs,
            priority,
            finalStatusId: tenant.statuses.unreachable,
            maxAttempts: 4,
          })
          const ms = performance.now() - started
          if (answer.status !== 200)
            throw new Error(`PUT /cadences answered ${answer.status}: ${JSON.stringify(answer.body)}`)
          return ms
        })
      /** How many of the status's waiting leads are due at `at`, and how many "rescheduled" events there are. */
      const leadsAt = (at: number) =>
        run(
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const [row] = yield* sql<{ due: number; events: number }>`SELECT
                (SELECT count(*)::int FROM leads WHERE status_id = ${statusId} AND stage = 'waiting'
                  AND next_attempt_at = ${at}) AS due,
                (SELECT count(*)::int FROM lead_events WHERE kind = 'rescheduled') AS events`
            return row ?? { due: 0, events: 0 }
          }),
        )
      /** Timers stored for `at` that have not fired. */
      const timersAt = (at: number) =>
        run(
          Effect.flatMap(SqlClient.SqlClient, (sql) =>
            sql<{ n: number }>`SELECT count(DISTINCT entity_id)::int AS n FROM cluster_messages
              WHERE tag = 'Wake' AND NOT processed AND deliver_at = ${at}`.pipe(Effect.map((rows) => rows[0]?.n ?? 0)),
          ),
        )
      const expectAll = (what: string, found: number, expected: number) =>
        found === expected ? Effect.void : Effect.dieMessage(`${what}: ${found} of ${expected}`)

      const laterMs = yield* put([FIRST_DELAY, edits.later, DAY], 2)
      const later = yield* leadsAt(contactedAt + edits.later)
      yield* expectAll("leads moved later", later.due, flags.waiting)
      yield* Console.error(`later: ${laterMs.toFixed(0)} ms for ${flags.waiting} waiting leads`)

      const forwardAt = contactedAt + edits.forward
      const forwardStarted = performance.now()
      const forwardMs = yield* put([FIRST_DELAY, edits.forward, DAY], 2)
      const forward = yield* leadsAt(forwardAt)
      yield* expectAll("leads brought forward", forward.due, flags.waiting)
      yield* expectAll("rescheduled events", forward.events, 2 * flags.waiting)
      let armed = yield* timersAt(forwardAt)
      while (armed < flags.waiting && performance.now() - forwardStarted < timersLimitMs) {
        yield* Effect.sleep(Duration.millis(100))
        armed = yield* timersAt(forwardAt)
      }
      const timersMs = performance.now() - forwardStarted
      yield* expectAll("timers stored for the leads brought forward", armed, flags.waiting)
      yield* Console.error(
        `forward: ${forwardMs.toFixed(0)} ms to answer, every timer stored ${timersMs.toFixed(0)} ms after the request`,
      )

      const priorityMs = yield* put([FIRST_DELAY, edits.forward, DAY], 1)
      const top = (yield* Effect.promise(queueOf)).body as unknown
      const topPriority = Array.isArray(top) ? (top[0] as { priority?: number } | undefined)?.priority : undefined
      if (flags.ready > 0 && topPriority !== 1) {
        return yield* Effect.dieMessage(`the queue's first lead has priority ${String(topPriority)}, not 1`)
      }
      yield* Console.error(`priority: ${priorityMs.toFixed(0)} ms for ${flags.ready} queued leads`)
      const loadAverage = loadavg()[0] ?? 0
      return [
        metric("waiting_leads", flags.waiting, "count"),
        metric("ready_leads", flags.ready, "count"),
        metric("later_answer", laterMs, "ms"),
        metric("forward_answer", forwardMs, "ms"),
        metric("forward_timers_stored", timersMs, "ms"),
        metric("forward_timers_per_second", flags.waiting / (timersMs / 1000), "timers/s"),
        metric("priority_answer", priorityMs, "ms"),
        metric("load_average_1m", loadAverage, "load"),
      ]
    }).pipe(Effect.scoped),
}

/**
 * `pnpm bench webhooks`: signed Telnyx webhooks through the real ingress of a server process on PostgreSQL.
 * Each of `--calls` calls gets its initiated, answered and hangup events, `--concurrency` in flight at once; every
 * event is verified (Ed25519), decoded, handed to its Call entity as a persisted message, and only then answered.
 * Reports events per second and the time to reply (what Telnyx waits for before it retries).
 */
import { SqlClient } from "@effect/sql"
import { Database } from "@ringmaster/store"
import { Console, Effect } from "effect"
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto"
import { loadavg } from "node:os"
import { startServer } from "../../test/e2e/support/server-process.js"
import { reportServerTrouble } from "./lib/bench-server.js"
import type { Bench } from "./lib/bench.js"
import { flagHelp, parseFlags } from "./lib/flags.js"
import { summarize } from "./lib/percentiles.js"
import { metricsOf } from "./lib/results.js"
import { postgresServerUrl, scratchDatabase } from "./lib/scratch-database.js"

const flagSpec = {
  calls: { default: 300, min: 1, max: 100_000, integer: true, description: "calls whose three events are sent" },
  concurrency: { default: 16, min: 1, max: 512, integer: true, description: "webhooks in flight at once" },
  runners: {
    default: 1,
    min: 1,
    max: 5,
    integer: true,
    description: "server processes on the one PostgreSQL; webhooks go to them in turn",
  },
} as const

const publicKeyBase64 = (key: KeyObject): string => {
  const jwk = key.export({ format: "jwk" })
  return Buffer.from(String(jwk.x), "base64url").toString("base64")
}

const webhook = (privateKey: KeyObject, type: string, callId: string, extra: Record<string, unknown>, seq: number) => {
  const rawBody = JSON.stringify({
    data: {
      record_type: "event",
      event_type: type,
      id: `bench-${callId}-${seq}`,
      occurred_at: new Date(Date.now() + seq).toISOString(),
      payload: {
        call_control_id: `v3:bench-${callId}`,
        call_leg_id: `leg-${callId}`,
        call_session_id: `session-${callId}`,
        connection_id: "conn-bench",
        client_state: Buffer.from(callId).toString("base64"),
        direction: "outgoing",
        from: "+14155550100",
        to: "+14155552671",
        ...extra,
      },
    },
  })
  const timestamp = Math.floor(Date.now() / 1000)
  const signature = sign(null, Buffer.from(`${timestamp}|${rawBody}`), privateKey).toString("base64")
  return { rawBody, headers: { "telnyx-signature-ed25519": signature, "telnyx-timestamp": String(timestamp) } }
}

export const bench: Bench = {
  description: "signed Telnyx webhooks through the ingress: events per second and time to reply",
  run: (argv) =>
    Effect.gen(function* () {
      if (argv.includes("--help")) {
        yield* Console.error(`pnpm bench webhooks [flags]\n${flagHelp(flagSpec)}`)
        return []
      }
      const flags = yield* parseFlags(flagSpec, argv)
      const metric = metricsOf("webhooks")
      const { publicKey, privateKey } = generateKeyPairSync("ed25519")
      const url = yield* scratchDatabase(postgresServerUrl(process.env))
      const env = {
        DATABASE_URL: url.toString(),
        DATA_DIR: undefined,
        DEMO: "true",
        DEMO_LEADS: "0",
        TELNYX_API_KEY: "KEYBENCH",
        TELNYX_PUBLIC_KEY: publicKeyBase64(publicKey),
        TELNYX_CONNECTION_ID: "conn-bench",
        TELNYX_BASE_URL: "http://127.0.0.1:9",
      }
      const startRunner = Effect.acquireRelease(
        Effect.promise(() => startServer(env)),
        (s) => Effect.promise(() => s.stop()).pipe(Effect.zipRight(reportServerTrouble(s.output()))),
      )
      // The first runner migrates and seeds; the others join it (each on its own HTTP and runner ports).
      const first = yield* startRunner
      const others = yield* Effect.all(
        Array.from({ length: flags.runners - 1 }, () => startRunner),
        { concurrency: "unbounded" },
      )
      const servers = [first, ...others]
      const database = Database.layerPostgres({ url, maxConnections: 2 })
      const callIds = Array.from({ length: flags.calls }, (_, i) => `bench-call-${i}`)
      yield* Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`INSERT INTO calls (id, tenant_id, campaign_id, direction, from_number, to_number, carrier_call_id,
            phase, facts, created_at)
          SELECT 'bench-call-' || i, 'demo', 'demo-campaign-intake', 'outbound', '+14155550100', '+14155552671',
            'v3:bench-bench-call-' || i, 'Dialing',
            '{"seenEventIds":[],"initiatedAt":null,"ringingAt":null,"answeredAt":null,"amdResult":null,"amdAt":null,"bridgedAt":null,"bridgedAgentLeg":null,"hangupAt":null,"hangupCause":null}'::jsonb,
            ${Date.now()}
          FROM generate_series(0, ${flags.calls - 1}) AS i`
      }).pipe(Effect.provide(database))

      const events = callIds.flatMap((callId) => [
        webhook(privateKey, "call.initiated", callId, { state: "parked" }, 0),
        webhook(privateKey, "call.answered", callId, {}, 1),
        webhook(privateKey, "call.hangup", callId, { hangup_cause: "normal_clearing", sip_hangup_cause: "200" }, 2),
      ])
      const replies: Array<number> = []
      let failures = 0
      let next = 0
      const endpoints = servers.map((server) => `${server.baseUrl}/webhooks/telnyx`)
      const worker = async () => {
        for (;;) {
          const i = next++
          const event = events[i]
          if (event === undefined) return
          const started = performance.now()
          const response = await fetch(endpoints[i % endpoints.length] ?? "", {
            method: "POST",
            headers: { "content-type": "application/json", ...event.headers },
            body: event.rawBody,
          })
          await response.arrayBuffer()
          replies.push(performance.now() - started)
          if (response.status !== 200) failures++
        }
      }
      const started = performance.now()
      yield* Effect.promise(() => Promise.all(Array.from({ length: flags.concurrency }, worker)))
      const elapsedMs = performance.now() - started

      // Give the entities a moment to apply the last messages, then check each event was applied exactly once.
      yield* Effect.sleep("2 seconds")
      const applied = yield* Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const [row] = yield* sql<{ events: number; ended: number }>`SELECT
            (SELECT count(*)::int FROM call_events WHERE call_id LIKE 'bench-call-%') AS events,
            (SELECT count(*)::int FROM calls WHERE id LIKE 'bench-call-%' AND phase = 'Ended') AS ended`
        return row ?? { events: 0, ended: 0 }
      }).pipe(Effect.provide(database))

      const summary = summarize(replies)
      const perSecond = (events.length / elapsedMs) * 1_000
      yield* Console.error(
        `webhooks: ${events.length} events (${flags.calls} calls, ${flags.concurrency} in flight, ` +
          `${flags.runners} runner${flags.runners === 1 ? "" : "s"}) in ${(elapsedMs / 1000).toFixed(1)} s: ` +
          `${perSecond.toFixed(0)}/s, reply p50 ${summary?.p50.toFixed(1)} ms, p99 ${summary?.p99.toFixed(1)} ms; ` +
          `${failures} non-200; applied ${applied.events} events, ${applied.ended}/${flags.calls} calls ended`,
      )
      return [
        metric("events_per_second", perSecond, "1/s"),
        metric("reply_p50", summary?.p50 ?? Number.NaN, "ms"),
        metric("reply_p99", summary?.p99 ?? Number.NaN, "ms"),
        metric("non_200_replies", failures, "count"),
        metric("events_applied", applied.events, "count"),
        metric("calls_ended", applied.ended, "count"),
        metric("load_average_1m", loadavg()[0] ?? 0, "load"),
      ]
    }).pipe(Effect.scoped),
}

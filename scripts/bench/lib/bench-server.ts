import type { SqlClient } from "@effect/sql"
import { Database, Migrator, type SeededTenant, seedTenant } from "@ringmaster/store"
import { Console, Effect, Layer } from "effect"
import { isTrouble, logEntries } from "../../../test/e2e/support/log-entries.js"
import { api, type ServerProcess, startServer } from "../../../test/e2e/support/server-process.js"
import { benchTenantKey } from "./bench-tenant.js"

export interface BenchServer {
  readonly server: ServerProcess
  /** The tenant `bench`: the demo configuration with the asked number of agents (Offline), no leads. */
  readonly tenant: SeededTenant
}

/**
 * Says on stderr how many warnings and errors the server logged during the bench, with the first few: figures from
 * a server that lost its shard locks or its database are not the figures of a healthy one.
 */
export const reportServerTrouble = (output: string) =>
  Effect.suspend(() => {
    const entries = logEntries(output).filter(isTrouble)
    if (entries.length === 0) return Console.error("the server logged no warning or error")
    const shown = entries.slice(0, 10).map((entry) => `  ${entry.replace(/\s+/g, " ").slice(0, 300)}`)
    return Console.error(`the server logged ${entries.length} warnings or errors; the first:\n${shown.join("\n")}`)
  })

/**
 * A Ringmaster server process on the (empty) PostgreSQL database `url`, as a user starts it, with the tenant
 * `bench` seeded first: the demo configuration and `agents` agents with their tokens (`bench-agent-<name>-token`).
 * Its calling hours are opened to the whole day, so that a dial never depends on the hour the bench runs at. The
 * server is stopped (SIGTERM, then SIGKILL after 15 s) when the scope closes.
 */
export const benchServer = (options: {
  readonly url: URL
  readonly agents: number
  readonly env?: Readonly<Record<string, string | undefined>>
  /** More to write once the tenant is seeded, before the server starts (its campaigns then load what it wrote). */
  readonly seed?: (tenant: SeededTenant) => Effect.Effect<void, unknown, SqlClient.SqlClient>
}) =>
  Effect.gen(function* () {
    yield* Console.error(`seeding the tenant "${benchTenantKey}" with ${options.agents} agents`)
    const tenant = yield* Effect.tap(
      seedTenant({
        key: benchTenantKey,
        name: "Bench Intake",
        agentCount: options.agents,
        leadCount: 0,
        now: Date.now(),
      }),
      (seeded) => options.seed?.(seeded) ?? Effect.void,
    ).pipe(
      Effect.provide(
        Migrator.layer.pipe(Layer.provideMerge(Database.layerPostgres({ url: options.url, maxConnections: 2 }))),
      ),
    )
    yield* Console.error("starting the server")
    const server = yield* Effect.acquireRelease(
      Effect.promise(() =>
        startServer({
          DATABASE_URL: options.url.toString(),
          DATA_DIR: undefined,
          DEMO: "false",
          DEMO_LEADS: "0",
          // The simulated carrier: no Telnyx settings from the environment of whoever runs the bench.
          TELNYX_API_KEY: undefined,
          TELNYX_PUBLIC_KEY: undefined,
          TELNYX_CONNECTION_ID: undefined,
          ...options.env,
        }),
      ),
      (s) => Effect.promise(() => s.stop()).pipe(Effect.zipRight(reportServerTrouble(s.output()))),
    )
    const opened = yield* Effect.promise(() =>
      api(server.baseUrl, tenant.supervisor.token).patch("/settings", { callingHoursStart: 0, callingHoursEnd: 24 }),
    )
    if (opened.status !== 200) {
      return yield* Effect.dieMessage(`could not open the bench tenant's calling hours: HTTP ${opened.status}`)
    }
    const ready: BenchServer = { server, tenant }
    return ready
  })

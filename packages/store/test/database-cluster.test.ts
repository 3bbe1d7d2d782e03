/**
 * The database layer carries a whole @effect/cluster SingleRunner with SQL message storage: on the embedded PGlite
 * (one connection) by default, on PostgreSQL when DATABASE_URL is set.
 */
import { ClusterSchema, Entity, SingleRunner } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { SqlClient } from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer, Schema } from "effect"
import { freshDatabase } from "./database-under-test.js"

const Echo = Entity.make("Echo", [
  Rpc.make("Ping", { payload: { n: Schema.Number }, success: Schema.Number }).annotate(ClusterSchema.Persisted, true),
])

const EchoLive = Echo.toLayer({ Ping: (request) => Effect.succeed(request.payload.n + 1) })

const cluster = EchoLive.pipe(
  Layer.provideMerge(
    SingleRunner.layer({ runnerStorage: "memory", shardingConfig: { entityMessagePollInterval: "200 millis" } }),
  ),
  Layer.provideMerge(freshDatabase),
)

const storedRequests = Effect.flatMap(
  SqlClient,
  (sql) => sql<{ count: number }>`select count(*)::int8 as count from cluster_messages where tag = 'Ping'`,
)

layer(cluster, { excludeTestServices: true, timeout: "60 seconds" })("a SingleRunner on the database layer", (it) => {
  it.effect("answers a persisted message and keeps it in SQL storage", () =>
    Effect.gen(function* () {
      const client = yield* Echo.client
      const before = yield* storedRequests
      expect(yield* client("echo-1").Ping({ n: 41 })).toBe(42)
      const after = yield* storedRequests
      expect(after[0]?.count).toBe((before[0]?.count ?? 0) + 1)
    }),
  )

  it.effect.prop(
    "answers every persisted message sent to any entity, concurrently",
    [fc.array(fc.record({ id: fc.stringMatching(/^[a-z0-9]{1,8}$/), n: fc.integer() }), { maxLength: 10 })],
    ([pings]) =>
      Effect.gen(function* () {
        const client = yield* Echo.client
        const replies = yield* Effect.forEach(pings, ({ id, n }) => client(id).Ping({ n }), { concurrency: 4 })
        expect(replies).toEqual(pings.map(({ n }) => n + 1))
      }),
    { fastCheck: { numRuns: 10 } },
  )
})

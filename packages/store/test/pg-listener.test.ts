import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Layer, Queue, Schedule, Stream } from "effect"
import { LISTENER_APPLICATION_NAME, PgListener } from "../src/pg-listener.js"
import { freshDatabase } from "./database-under-test.js"

/** A fresh database (dropped with the scope): its statements, and its listener. */
const connect = Effect.map(Layer.build(freshDatabase), (context) => ({
  sql: Context.get(context, SqlClient.SqlClient),
  listener: Context.get(context, PgListener),
}))

/** Notifies `channel` with `payload` every 100 ms until `heard` has something (at most 10 s). */
const notifyUntilHeard = (sql: SqlClient.SqlClient, channel: string, payload: string, heard: Queue.Queue<string>) =>
  sql`SELECT pg_notify(${channel}, ${payload})`.pipe(
    Effect.zipRight(Effect.sleep("100 millis")),
    Effect.repeat({ until: () => Effect.runSync(Queue.size(heard)) > 0 }),
    Effect.timeout("10 seconds"),
  )

describe.skipIf((process.env["DATABASE_URL"] ?? "").trim() === "")("PgListener on PostgreSQL", () => {
  it.scopedLive("hears the notifications of its channel and of no other", () =>
    Effect.gen(function* () {
      const { sql, listener } = yield* connect
      const heard = yield* Queue.unbounded<string>()
      yield* listener.listen("alpha").pipe(
        Stream.runForEach((p) => Queue.offer(heard, p)),
        Effect.forkScoped,
      )
      yield* notifyUntilHeard(sql, "alpha", "ready", heard)
      yield* Queue.takeAll(heard)
      yield* sql`SELECT pg_notify('beta', 'not mine')`
      yield* sql`SELECT pg_notify('alpha', 'one')`
      yield* sql`SELECT pg_notify('alpha', 'two')`
      const first = yield* Queue.take(heard).pipe(Effect.timeout("10 seconds"))
      const second = yield* Queue.take(heard).pipe(Effect.timeout("10 seconds"))
      expect([first, second]).toEqual(["one", "two"])
      yield* Effect.sleep("300 millis")
      expect(Chunk.toReadonlyArray(yield* Queue.takeAll(heard))).toEqual([])
    }),
  )

  it.scopedLive("tells when it listens: a notification sent from then on is heard, once, without retrying", () =>
    Effect.gen(function* () {
      const { sql, listener } = yield* connect
      const heard = yield* Queue.unbounded<string>()
      yield* listener.listen("alpha", sql`SELECT pg_notify('alpha', 'as soon as it listens')`.pipe(Effect.orDie)).pipe(
        Stream.runForEach((p) => Queue.offer(heard, p)),
        Effect.forkScoped,
      )
      expect(yield* Queue.take(heard).pipe(Effect.timeout("10 seconds"))).toBe("as soon as it listens")
      yield* Effect.sleep("300 millis")
      expect(Chunk.toReadonlyArray(yield* Queue.takeAll(heard))).toEqual([])
    }),
  )

  it.scopedLive("fails when its connection is cut, and a retry hears the channel again on a new connection", () =>
    Effect.gen(function* () {
      const { sql, listener } = yield* connect
      const heard = yield* Queue.unbounded<string>()
      let failures = 0
      yield* listener.listen("alpha").pipe(
        Stream.runForEach((p) => Queue.offer(heard, p)),
        Effect.tapError(() => Effect.sync(() => failures++)),
        Effect.retry(Schedule.spaced("200 millis")),
        Effect.forkScoped,
      )
      yield* notifyUntilHeard(sql, "alpha", "before", heard)
      yield* Queue.takeAll(heard)

      const cut = yield* sql<{ cut: boolean }>`SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = ${LISTENER_APPLICATION_NAME}`
      expect(cut.map((r) => r.cut)).toEqual([true])
      yield* notifyUntilHeard(sql, "alpha", "after", heard)
      expect(Chunk.toReadonlyArray(yield* Queue.takeAll(heard))).toContain("after")
      expect(failures).toBe(1)
    }),
  )
})

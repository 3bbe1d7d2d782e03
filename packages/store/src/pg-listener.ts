import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Context, Effect, Stream } from "effect"
import pg from "pg"

/**
 * PostgreSQL notifications (`LISTEN`), each channel on a connection of its own. `PgClient.listen` keeps one connection
 * for every channel and, when that connection is lost, goes silent for good: a runner then no longer hears the
 * others. Here the stream fails when its connection is lost, so that a retry listens again on a new one.
 */
export class PgListener extends Context.Tag("@ringmaster/store/PgListener")<
  PgListener,
  {
    /**
     * Every notification's payload on `channel`; fails when the connection is lost or cannot be made. `onListening`
     * runs once the connection listens: from then on nothing sent on the channel is missed.
     */
    readonly listen: (channel: string, onListening?: Effect.Effect<void>) => Stream.Stream<string, SqlError>
  }
>() {}

/** The `application_name` of the listening connections, to tell them apart from the pool's in `pg_stat_activity`. */
export const LISTENER_APPLICATION_NAME = "ringmaster-listen"

/** Listens on the PostgreSQL server at `url`. TCP keep-alive finds a connection whose peer went away silently. */
export const pgListenerOn = (url: URL): PgListener["Type"] => ({
  listen: (channel, onListening = Effect.void) =>
    Stream.asyncScoped<string, SqlError>((emit) =>
      Effect.gen(function* () {
        let closing = false
        const lost = (cause: unknown) => {
          if (!closing)
            void emit.fail(new SqlError({ cause, message: `the connection listening on ${channel} was lost` }))
        }
        const client = yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: async () => {
              const c = new pg.Client({
                connectionString: url.toString(),
                application_name: LISTENER_APPLICATION_NAME,
                keepAlive: true,
                keepAliveInitialDelayMillis: 10_000,
              })
              c.on("error", lost)
              c.on("end", () => lost(new Error("the connection ended")))
              try {
                await c.connect()
              } catch (cause) {
                closing = true
                throw cause
              }
              return c
            },
            catch: (cause) => new SqlError({ cause, message: `could not connect to listen on ${channel}` }),
          }),
          (c) =>
            Effect.promise(() => {
              closing = true
              return c.end().catch(() => undefined)
            }),
        )
        client.on("notification", (message) => {
          if (message.channel === channel && message.payload !== undefined) void emit.single(message.payload)
        })
        yield* Effect.tryPromise({
          try: () => client.query(`LISTEN ${client.escapeIdentifier(channel)}`),
          catch: (cause) => new SqlError({ cause, message: `could not listen on ${channel}` }),
        })
        yield* onListening
      }),
    ),
})

/** The embedded database serves one connection: there is nothing to listen on, and nobody else to hear from. */
export const noPgListener: PgListener["Type"] = {
  listen: (channel) =>
    Stream.fail(
      new SqlError({
        cause: undefined,
        message: `cannot listen on ${channel}: the embedded database has one connection`,
      }),
    ),
}

/**
 * Sends `payload` to every connection listening on `channel`. (`PgClient.notify` sends `NOTIFY channel, $1`, which
 * PostgreSQL does not accept with a parameter.)
 */
export const pgNotify = (channel: string, payload: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT pg_notify(${channel}, ${payload})`).pipe(Effect.asVoid)

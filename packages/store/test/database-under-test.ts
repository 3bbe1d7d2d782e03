/**
 * The database the store's own tests run on: a fresh PostgreSQL database when `DATABASE_URL` is set (dropped after),
 * else a fresh in-memory PGlite. (`@ringmaster/testkit` has the full version; the store cannot depend on it.)
 */
import { SqlClient } from "@effect/sql/SqlClient"
import { Effect, Either, Layer, Option } from "effect"
import { Database, parsePostgresUrl } from "../src/database.js"

export const serverUrl: Option.Option<URL> = Option.fromNullable(process.env["DATABASE_URL"]).pipe(
  Option.filter((raw) => raw.trim() !== ""),
  Option.map((raw) => Either.getOrThrow(parsePostgresUrl(raw))),
)

const onServer = <A, E>(url: URL, f: (sql: SqlClient) => Effect.Effect<A, E>) =>
  Effect.flatMap(SqlClient, f).pipe(Effect.provide(Database.layerPostgres({ url, maxConnections: 1 })))

const freshPostgres = (url: URL) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const name = `rm_t_${crypto.randomUUID().replaceAll("-", "")}`
      yield* Effect.acquireRelease(
        onServer(url, (sql) => sql`CREATE DATABASE ${sql(name)}`),
        () => onServer(url, (sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`).pipe(Effect.orDie),
      )
      const fresh = new URL(url.toString())
      fresh.pathname = `/${name}`
      return Database.layerPostgres({ url: fresh, maxConnections: 4 })
    }),
  )

/** A fresh, empty database each time it is built. */
export const freshDatabase = Option.match(serverUrl, {
  onNone: () => Database.layerEmbeddedInMemory,
  onSome: freshPostgres,
})

/**
 * A fresh, migrated database for each test file: a new PostgreSQL database on the server named by `DATABASE_URL`
 * (dropped afterwards), or an in-memory PGlite when `DATABASE_URL` is unset.
 */
import { SqlClient } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { type ConfigError, Effect, Layer, Option, Schema } from "effect"
import {
  Database,
  DatabaseConfig,
  type DatabaseServices,
  type DatabaseStartError,
  type MigrationError,
  Migrator,
  redactUrl,
} from "@ringmaster/store"

/** `testDatabaseUrl` needs a PostgreSQL server to create the database on. */
export class TestDatabaseUnavailable extends Schema.TaggedError<TestDatabaseUnavailable>()("TestDatabaseUnavailable", {
  message: Schema.String,
}) {}

/** Connections to a test database: enough for the cluster's lock connection plus concurrent queries. */
const testPoolSize = 4

const scratchPrefix = "rm_t_"

/** A database name no other test run will pick: `rm_t_` and 16 random lowercase letters and digits. */
export const scratchDatabaseName = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return scratchPrefix + Array.from(bytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("")
}

/** Runs `f` on a short-lived one-connection client to the server's database named by `adminUrl`. */
const withAdmin = <A>(adminUrl: URL, f: (sql: SqlClient) => Effect.Effect<A, SqlError>): Effect.Effect<A, SqlError> =>
  Effect.flatMap(SqlClient, f).pipe(Effect.provide(Database.layerPostgres({ url: adminUrl, maxConnections: 1 })))

const urlOfDatabase = (serverUrl: URL, name: string): URL => {
  const url = new URL(serverUrl.toString())
  url.pathname = `/${name}`
  return url
}

const createScratchDatabase = (serverUrl: URL) =>
  Effect.gen(function* () {
    const name = scratchDatabaseName()
    // CREATE DATABASE fails while another session is connected to template1; an immediate retry usually passes.
    // (No delay between tries: a test may build this layer under the TestClock.)
    yield* withAdmin(serverUrl, (sql) => sql`CREATE DATABASE ${sql(name)}`).pipe(Effect.retry({ times: 3 }))
    const drop: Effect.Effect<void> = withAdmin(
      serverUrl,
      (sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`,
    ).pipe(
      Effect.asVoid,
      Effect.catchAll((error) => Effect.logWarning(`Could not drop test database ${name}`, error)),
    )
    return { name, url: urlOfDatabase(serverUrl, name), drop }
  })

const postgresServerUrl = Effect.map(DatabaseConfig, (config) => config.url)

/**
 * A fresh database for end-to-end tests that start the server as a child process: pass `url` as its
 * `DATABASE_URL` (the server applies the migrations), and run `drop` when done. Needs `DATABASE_URL`.
 */
export const testDatabaseUrl = (): Effect.Effect<
  { readonly url: string; readonly drop: Effect.Effect<void> },
  TestDatabaseUnavailable | SqlError | ConfigError.ConfigError
> =>
  Effect.gen(function* () {
    const serverUrl = yield* postgresServerUrl
    if (Option.isNone(serverUrl)) {
      return yield* new TestDatabaseUnavailable({
        message: "DATABASE_URL is not set: there is no PostgreSQL server to create a test database on",
      })
    }
    const scratch = yield* createScratchDatabase(serverUrl.value)
    yield* Effect.logDebug(`Created test database ${redactUrl(scratch.url.toString())}`)
    return { url: scratch.url.toString(), drop: scratch.drop }
  })

const postgresTestDatabase = (serverUrl: URL) =>
  Layer.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(createScratchDatabase(serverUrl), (scratch) => scratch.drop),
      (scratch) => Database.layerPostgres({ url: scratch.url, maxConnections: testPoolSize }),
    ),
  )

const freshDatabase = Layer.unwrapEffect(
  Effect.map(postgresServerUrl, (serverUrl) =>
    Option.match(serverUrl, {
      onNone: () => Database.layerEmbeddedInMemory,
      onSome: postgresTestDatabase,
    }),
  ),
)

export type TestDatabaseError = ConfigError.ConfigError | SqlError | DatabaseStartError | MigrationError

export const TestDatabase = {
  /** A fresh database with every migration applied; a new one each time the layer is built. */
  layer: Migrator.layer.pipe(Layer.provideMerge(freshDatabase)) satisfies Layer.Layer<
    DatabaseServices,
    TestDatabaseError
  >,
  /**
   * A fresh embedded database whatever DATABASE_URL says: one connection, so the database does the work of
   * concurrent fibers in one order, and a run on a seed is the same run every time.
   */
  layerSerial: Migrator.layer.pipe(Layer.provideMerge(Database.layerEmbeddedInMemory)) satisfies Layer.Layer<
    DatabaseServices,
    TestDatabaseError
  >,
}

import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, FastCheck as fc, Option } from "effect"
import { Database, DatabaseInfo, migrations, parsePostgresUrl } from "@ringmaster/store"
import { scratchDatabaseName, TestDatabase, testDatabaseUrl } from "../src/test-database.js"

const serverUrl = Option.fromNullable(process.env["DATABASE_URL"]).pipe(
  Option.flatMap((raw) => Option.getRight(parsePostgresUrl(raw))),
)
const onPostgres = Option.isSome(serverUrl)

const migrationIds = Object.keys(migrations)
  .map((key) => Number(key.slice(0, key.indexOf("_"))))
  .sort((a, b) => a - b)

const appliedMigrations = Effect.flatMap(
  SqlClient,
  (sql) => sql<{ migrationId: number }>`select migration_id from effect_sql_migrations order by migration_id`,
).pipe(Effect.map((rows) => rows.map((row) => row.migrationId)))

/** Whether a database of that name exists on the DATABASE_URL server. */
const databaseExists = (name: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    const rows = yield* sql<{ n: number }>`select count(*)::int4 as n from pg_database where datname = ${name}`
    return rows[0]?.n === 1
  }).pipe(Effect.provide(Database.layerPostgres({ url: Option.getOrThrow(serverUrl), maxConnections: 1 })))

const databaseNameOf = (target: string) => new URL(target).pathname.slice(1)

describe("scratchDatabaseName", () => {
  it.prop(
    "is rm_t_ and 16 lowercase letters or digits, and never repeats",
    [fc.integer({ min: 2, max: 200 })],
    ([n]) => {
      const names = Array.from({ length: n }, scratchDatabaseName)
      for (const name of names) expect(name).toMatch(/^rm_t_[a-z0-9]{16}$/)
      expect(new Set(names).size).toBe(n)
    },
  )
})

describe("TestDatabase.layer", () => {
  it.live("gives a database with every migration applied, in the mode DATABASE_URL selects", () =>
    Effect.gen(function* () {
      expect(yield* appliedMigrations).toEqual(migrationIds)
      expect((yield* DatabaseInfo).mode).toBe(onPostgres ? "postgres" : "embedded")
    }).pipe(Effect.provide(TestDatabase.layer)),
  )

  it.live("gives each build its own database: what one writes, another does not see", () =>
    Effect.gen(function* () {
      const write = (value: string) =>
        Effect.gen(function* () {
          const sql = yield* SqlClient
          yield* sql`create table marker (value text not null)`
          yield* sql`insert into marker values (${value})`
          return yield* sql<{ value: string }>`select value from marker`
        }).pipe(Effect.provide(TestDatabase.layer))
      const [a, b] = yield* Effect.all([write("a"), write("b")], { concurrency: 2 })
      expect(a).toEqual([{ value: "a" }])
      expect(b).toEqual([{ value: "b" }])
    }),
  )

  it.live.runIf(onPostgres)("drops its PostgreSQL database when released", () =>
    Effect.gen(function* () {
      const { target } = yield* DatabaseInfo.pipe(Effect.provide(TestDatabase.layer))
      const name = databaseNameOf(target)
      expect(name).toMatch(/^rm_t_/)
      expect(yield* databaseExists(name)).toBe(false)
    }),
  )
})

describe("testDatabaseUrl", () => {
  it.live.runIf(onPostgres)("creates an empty database reachable at the URL, and drop removes it", () =>
    Effect.gen(function* () {
      const { url, drop } = yield* testDatabaseUrl()
      const parsed = Option.getOrThrow(Option.getRight(parsePostgresUrl(url)))
      const tables = yield* Effect.flatMap(
        SqlClient,
        (sql) =>
          sql<{ n: number }>`select count(*)::int4 as n from information_schema.tables where table_schema = 'public'`,
      ).pipe(Effect.provide(Database.layerPostgres({ url: parsed, maxConnections: 1 })))
      const name = databaseNameOf(url)
      const existedBefore = yield* databaseExists(name)
      yield* drop
      expect(tables).toEqual([{ n: 0 }])
      expect(existedBefore).toBe(true)
      expect(yield* databaseExists(name)).toBe(false)
    }),
  )

  it.live("fails with TestDatabaseUnavailable when DATABASE_URL is unset", () =>
    Effect.gen(function* () {
      const error = yield* testDatabaseUrl().pipe(
        Effect.flip,
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map())),
      )
      expect(error._tag).toBe("TestDatabaseUnavailable")
    }),
  )
})

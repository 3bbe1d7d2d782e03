import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Either, FastCheck as fc, Layer, Option } from "effect"
import { spawn } from "node:child_process"
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Database, DatabaseConfig, DatabaseInfo, parseInt8, redactUrl, withSessionSettings } from "../src/database.js"
import { freshDatabase, serverUrl } from "./database-under-test.js"

const propertyRuns = (runs: number) => ({ fastCheck: { numRuns: runs } })

const withEnv = (env: Record<string, string>) => ConfigProvider.fromMap(new Map(Object.entries(env)))

const readConfig = (env: Record<string, string>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(DatabaseConfig, withEnv(env))))

/** The database the mode-independent tests run on: PostgreSQL when DATABASE_URL is set, else PGlite in memory. */
const databaseUnderTest = freshDatabase

const tempDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "ringmaster-db-test-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true })),
)

// --- arbitraries -----------------------------------------------------------------------------------------------------

const userArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/)
const hostArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}(\.[a-z]{2,6})?$/)
const dbNameArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/)
// Upper case and at least 8 long: it cannot show up by chance inside the lower-case user, host or database name.
const passwordArb = fc.tuple(fc.stringMatching(/^[A-Z]{8}$/), fc.string({ maxLength: 12 })).map(([a, b]) => a + b)
const foreignSchemeArb = fc.constantFrom("mysql", "http", "https", "postgress", "pg", "redis", "sqlite")

// --- configuration ---------------------------------------------------------------------------------------------------

describe("DatabaseConfig", () => {
  it("defaults to the embedded database in ./.data with a pool of 10", () => {
    expect(readConfig({})).toEqual(Either.right({ url: Option.none(), dataDir: "./.data", poolSize: 10 }))
  })

  it.prop("treats an empty or blank DATABASE_URL as unset", [fc.stringMatching(/^[ \t]{0,3}$/)], ([blank]) => {
    expect(readConfig({ DATABASE_URL: blank })).toEqual(
      Either.right({ url: Option.none(), dataDir: "./.data", poolSize: 10 }),
    )
  })

  it.prop(
    "accepts postgres:// and postgresql:// URLs",
    [fc.constantFrom("postgres", "postgresql"), userArb, hostArb, dbNameArb],
    ([scheme, user, host, db]) => {
      const raw = `${scheme}://${user}@${host}:5432/${db}`
      const config = Either.getOrThrow(readConfig({ DATABASE_URL: raw }))
      expect(Option.map(config.url, (url) => url.toString())).toEqual(Option.some(raw))
    },
    propertyRuns(100),
  )

  it.prop(
    "rejects any other DATABASE_URL, naming the variable and the value with its password hidden",
    [foreignSchemeArb, userArb, passwordArb, hostArb, dbNameArb],
    ([scheme, user, password, host, db]) => {
      const raw = `${scheme}://${user}:${encodeURIComponent(password)}@${host}/${db}`
      const error = readConfig({ DATABASE_URL: raw }).pipe(Either.flip, Either.getOrThrow)
      const message = String(error)
      expect(message).toContain("DATABASE_URL")
      expect(message).toContain(`${scheme}://${user}:***@${host}`)
      expect(message).not.toContain(password)
      expect(message).not.toContain(encodeURIComponent(password))
    },
    propertyRuns(100),
  )

  it("rejects a DATABASE_URL that is not a URL at all, without showing its password", () => {
    const message = String(
      readConfig({ DATABASE_URL: "admin:Sup3rSecret@db.internal/app" }).pipe(Either.flip, Either.getOrThrow),
    )
    expect(message).toContain("DATABASE_URL")
    expect(message).toContain("admin:***@db.internal/app")
    expect(message).not.toContain("Sup3rSecret")
  })

  it.prop(
    "requires at least 2 PostgreSQL connections, naming DATABASE_POOL_SIZE and the value",
    [fc.integer({ min: -5, max: 1 })],
    ([size]) => {
      const message = String(
        readConfig({ DATABASE_URL: "postgres://db/app", DATABASE_POOL_SIZE: String(size) }).pipe(
          Either.flip,
          Either.getOrThrow,
        ),
      )
      expect(message).toContain("DATABASE_POOL_SIZE")
      expect(message).toContain(String(size))
    },
  )

  it("ignores the pool size of the embedded database, which always uses one connection", () => {
    expect(readConfig({ DATABASE_POOL_SIZE: "1" })).toEqual(
      Either.right({ url: Option.none(), dataDir: "./.data", poolSize: 1 }),
    )
  })

  it("rejects a pool size that is not an integer", () => {
    const message = String(readConfig({ DATABASE_POOL_SIZE: "2.5" }).pipe(Either.flip, Either.getOrThrow))
    expect(message).toContain("DATABASE_POOL_SIZE")
    expect(message).toContain("2.5")
  })
})

describe("redactUrl", () => {
  it.prop(
    "hides the password of any URL and keeps the rest",
    [fc.constantFrom("postgres", "postgresql", "mysql"), userArb, passwordArb, hostArb, dbNameArb],
    ([scheme, user, password, host, db]) => {
      const raw = `${scheme}://${user}:${encodeURIComponent(password)}@${host}:5432/${db}?sslmode=require`
      const redacted = redactUrl(raw)
      expect(redacted).not.toContain(password)
      expect(redacted).not.toContain(encodeURIComponent(password))
      expect(redacted).toBe(`${scheme}://${user}:***@${host}:5432/${db}?sslmode=require`)
    },
    propertyRuns(200),
  )

  it.prop(
    "hides a raw password with any characters, even where it breaks the URL",
    [userArb, passwordArb, hostArb, dbNameArb],
    ([user, password, host, db]) => {
      const redacted = redactUrl(`postgres://${user}:${password}@${host}/${db}`)
      expect(redacted).not.toContain(password)
      expect(redacted).toContain(`${host}/${db}`)
    },
    propertyRuns(200),
  )

  it("hides a password that a URL parser would read as a port and a path", () => {
    const redacted = redactUrl("postgres://app:1234/x@db.internal/prod")
    expect(redacted).not.toContain("1234/x")
    expect(redacted).toBe("postgres://app:***@db.internal/prod")
  })

  it("hides password query parameters", () => {
    expect(redactUrl("postgres://db.internal/prod?user=app&password=hunter22")).toBe(
      "postgres://db.internal/prod?user=app&password=***",
    )
  })

  it("leaves a URL without a password as it is", () => {
    expect(redactUrl("postgres://postgres@127.0.0.1:5432/test")).toBe("postgres://postgres@127.0.0.1:5432/test")
  })
})

describe("withSessionSettings", () => {
  it.prop(
    "makes UTC the last TimeZone of the startup options, keepalives come before the URL's own, every other parameter is kept",
    [
      fc.option(fc.constantFrom("-c statement_timeout=5000", "-c TimeZone=Europe/Paris"), { nil: undefined }),
      dbNameArb,
    ],
    ([options, db]) => {
      const url = new URL(`postgres://app@db.internal/${db}?sslmode=require`)
      if (options !== undefined) url.searchParams.set("options", options)
      const result = withSessionSettings(url)
      const resultOptions = result.searchParams.get("options") ?? ""
      expect(resultOptions.endsWith("-c TimeZone=UTC")).toBe(true)
      expect(resultOptions.startsWith("-c tcp_keepalives_idle=5 ")).toBe(true)
      if (options !== undefined) expect(resultOptions).toContain(` ${options} -c TimeZone=UTC`)
      expect(result.searchParams.get("sslmode")).toBe("require")
      expect(result.pathname).toBe(`/${db}`)
    },
  )
})

describe("parseInt8", () => {
  it.prop(
    "reads every int8 exactly: a number when safe, a bigint otherwise",
    [fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
    ([value]) => {
      const parsed = parseInt8(value.toString())
      const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      if (safe) expect(parsed).toBe(Number(value))
      else expect(parsed).toBe(value)
    },
    propertyRuns(500),
  )
})

// --- on a live database ----------------------------------------------------------------------------------------------

/** A query whose result shows how each column type comes back. */
const typeProbe = Effect.gen(function* () {
  const sql = yield* SqlClient
  const at = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123))
  const rows = yield* sql`
    select
      ${at.getTime()}::int8 as epoch_ms,
      ${(2n ** 62n).toString()}::int8 as snowflake,
      array[${at.getTime()}, 2]::int8[] as epoch_list,
      ${at}::timestamptz as at,
      ${at}::timestamptz::text as at_text,
      current_setting('TimeZone') as time_zone,
      42::int4 as small,
      true as flag,
      '{"a": [1, 2]}'::jsonb as document
  `
  return rows
})

const expectedProbe = [
  {
    epochMs: 1709251198123,
    snowflake: 2n ** 62n,
    epochList: [1709251198123, 2],
    at: new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123)),
    atText: "2024-02-29 23:59:58.123+00",
    timeZone: "UTC",
    small: 42,
    flag: true,
    document: { a: [1, 2] },
  },
]

describe("column types", () => {
  it.live("the embedded database returns numbers for int8, bigints beyond 2^53, and Dates in UTC", () =>
    Effect.gen(function* () {
      expect(yield* typeProbe.pipe(Effect.provide(Database.layerEmbeddedInMemory))).toEqual(expectedProbe)
    }),
  )

  it.live.runIf(Option.isSome(serverUrl))("PostgreSQL returns exactly what the embedded database returns", () =>
    Effect.gen(function* () {
      const embedded = yield* typeProbe.pipe(Effect.provide(Database.layerEmbeddedInMemory))
      const postgres = yield* typeProbe.pipe(Effect.provide(databaseUnderTest))
      expect(postgres).toEqual(embedded)
    }),
  )

  it.live.runIf(Option.isSome(serverUrl))(
    "PostgreSQL sessions are in UTC even when the URL asks for another zone",
    () =>
      Effect.gen(function* () {
        const url = Option.getOrThrow(serverUrl)
        const parisUrl = new URL(url.toString())
        parisUrl.searchParams.set("options", "-c TimeZone=Europe/Paris")
        const sql = SqlClient.pipe(
          Effect.flatMap((sql) => sql<{ tz: string }>`select current_setting('TimeZone') as tz`),
        )
        const rows = yield* sql.pipe(Effect.provide(Database.layerPostgres({ url: parisUrl, maxConnections: 2 })))
        expect(rows).toEqual([{ tz: "UTC" }])
      }),
  )

  it.live.runIf(Option.isSome(serverUrl))(
    "PostgreSQL probes a session over TCP after 5 s idle, so that a partitioned runner's locks are released",
    () =>
      Effect.gen(function* () {
        const settings = SqlClient.pipe(
          Effect.flatMap(
            (sql) => sql<{ idle: string; interval: string; count: string; tcp: boolean }>`select
              current_setting('tcp_keepalives_idle') as idle, current_setting('tcp_keepalives_interval') as interval,
              current_setting('tcp_keepalives_count') as count, inet_client_addr() is not null as tcp`,
          ),
        )
        const url = Option.getOrThrow(serverUrl)
        const rows = yield* settings.pipe(Effect.provide(Database.layerPostgres({ url, maxConnections: 2 })))
        // Over a Unix socket there is no TCP to probe, and PostgreSQL reports 0.
        const expected =
          rows[0]?.tcp === true ? { idle: "5", interval: "2", count: "3" } : { idle: "0", interval: "0", count: "0" }
        expect(rows.map(({ idle, interval, count }) => ({ idle, interval, count }))).toEqual([expected])
      }),
  )
})

// --- the embedded database -------------------------------------------------------------------------------------------

describe("the embedded database", () => {
  it.scopedLive("keeps its data in <DATA_DIR>/pglite across a close and a reopen", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const fromEnv = Layer.provide(Database.layer, Layer.setConfigProvider(withEnv({ DATA_DIR: dataDir })))
      const write = Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`create table lead_note (id int primary key, body text not null, at timestamptz not null)`
        yield* sql`insert into lead_note values (1, 'call back after 5pm', ${new Date(Date.UTC(2025, 0, 2, 17))})`
        return yield* DatabaseInfo
      })
      const read = Effect.flatMap(SqlClient, (sql) => sql`select id, body, at from lead_note`)

      const info = yield* write.pipe(Effect.provide(fromEnv))
      const rows = yield* read.pipe(Effect.provide(fromEnv))

      expect(info).toEqual({ mode: "embedded", target: join(dataDir, "pglite") })
      expect((yield* Effect.promise(() => stat(join(dataDir, "pglite")))).isDirectory()).toBe(true)
      expect(rows).toEqual([{ id: 1, body: "call back after 5pm", at: new Date(Date.UTC(2025, 0, 2, 17)) }])
    }),
  )

  it.live("runs concurrent transactions one at a time on its single connection", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      yield* sql`create table counter (n int not null)`
      yield* sql`insert into counter values (0)`
      // A read-then-write increment loses updates unless the transactions do not overlap.
      const increment = Effect.gen(function* () {
        const [row] = yield* sql<{ n: number }>`select n from counter`
        yield* sql`update counter set n = ${(row?.n ?? 0) + 1}`
      }).pipe(sql.withTransaction)
      yield* Effect.all(
        Array.from({ length: 25 }, () => increment),
        { concurrency: "unbounded" },
      )
      expect(yield* sql`select n from counter`).toEqual([{ n: 25 }])
    }).pipe(Effect.provide(Database.layerEmbeddedInMemory)),
  )

  it.scopedLive("refuses to open a data directory another database holds, and takes over one whose holder died", () =>
    Effect.gen(function* () {
      const dataDir = join(yield* tempDir, "pglite")
      const opened = Database.layerEmbedded(Option.some(dataDir))
      const second = yield* Layer.build(opened).pipe(
        Effect.zipRight(Layer.build(opened).pipe(Effect.scoped, Effect.flip)),
        Effect.scoped,
      )
      expect(second._tag).toBe("DatabaseStartError")
      expect(second.message).toContain(dataDir)
      expect(second.message).toContain(`process ${process.pid} holds`)

      const deadPid = yield* Effect.promise(
        () =>
          new Promise<number>((resolve) => {
            const child = spawn(process.execPath, ["-e", ""])
            child.on("exit", () => resolve(child.pid ?? 0))
          }),
      )
      yield* Effect.promise(() => writeFile(`${dataDir}.lock`, String(deadPid)))
      const info = yield* DatabaseInfo.pipe(Effect.provide(opened))
      expect(info.target).toBe(dataDir)
    }),
  )

  it.scopedLive("fails with a DatabaseStartError naming the data directory when it cannot be created", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const aFile = join(dir, "not-a-directory")
      yield* Effect.promise(() => writeFile(aFile, ""))
      const dataDir = join(aFile, "pglite")
      const error = yield* Layer.build(Database.layerEmbedded(Option.some(dataDir))).pipe(Effect.scoped, Effect.flip)
      expect(error._tag).toBe("DatabaseStartError")
      expect(error.message).toContain(dataDir)
    }),
  )
})

describe("Database.layer", () => {
  it.live("fails with a ConfigError naming DATABASE_URL when it is not a PostgreSQL URL", () =>
    Effect.gen(function* () {
      const error = yield* Layer.build(Database.layer).pipe(
        Effect.scoped,
        Effect.withConfigProvider(withEnv({ DATABASE_URL: "mysql://root:hunter2hunter2@db/app" })),
        Effect.flip,
      )
      expect(String(error)).toContain("DATABASE_URL")
      expect(String(error)).toContain("mysql://root:***@db/app")
      expect(String(error)).not.toContain("hunter2hunter2")
    }),
  )
})

// Last in the file: @effect/vitest's `layer` replaces the global `it.effect` with one bound to its layer.
layer(databaseUnderTest, { excludeTestServices: true })("the database under test", (it) => {
  it.effect.prop(
    "round-trips epoch milliseconds through bigint and timestamptz columns unchanged",
    [fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
    ([epochMs, wide]) =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const rows = yield* sql<{ ms: unknown; at: unknown; wide: unknown }>`
          select ${epochMs}::int8 as ms, ${new Date(epochMs)}::timestamptz as at, ${wide.toString()}::int8 as wide`
        expect(rows).toEqual([{ ms: epochMs, at: new Date(epochMs), wide: parseInt8(wide.toString()) }])
      }),
    propertyRuns(50),
  )

  it.effect("a failed transaction leaves no trace", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      yield* sql`create table note (id int primary key)`
      const failed = yield* sql`insert into note values (1)`.pipe(
        Effect.zipRight(Effect.fail("boom" as const)),
        sql.withTransaction,
        Effect.flip,
      )
      const rows = yield* sql`select id from note`
      expect(failed).toBe("boom")
      expect(rows).toEqual([])
    }),
  )

  it.effect("reports its mode and a target without a password", () =>
    Effect.gen(function* () {
      const info = yield* DatabaseInfo
      expect(info.mode).toBe(Option.isSome(serverUrl) ? "postgres" : "embedded")
      if (Option.isSome(serverUrl)) {
        const target = new URL(info.target)
        expect(target.password).toBe("")
        expect(target.host).toBe(serverUrl.value.host)
      } else {
        expect(info.target).toBe("memory://")
      }
    }),
  )
})

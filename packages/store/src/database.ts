/**
 * The database connection: PostgreSQL when `DATABASE_URL` is set, otherwise an embedded PGlite persisted under
 * `DATA_DIR`. Both modes are reached through the same `pg` driver with the same type parsers, so a row reads the same
 * either way:
 *
 * - `timestamptz` comes back as a JS `Date` (sessions run in UTC); avoid `timestamp` without time zone, which `pg`
 *   reads in the process's local time zone.
 * - `int8` / `bigint` comes back as a JS `number` when it is a safe integer (epoch milliseconds always are), and as a
 *   JS `bigint` otherwise, never rounded: the cluster's message storage keeps 64-bit snowflake ids in `bigint` columns.
 * - `int8[]` follows the same rule element by element.
 * - Column names come back in camelCase (`next_attempt_at` → `nextAttemptAt`); JSON values are left as they are.
 *   Libraries with their own tables (the cluster, the migrator) use `withoutTransforms()`.
 */
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import type { SqlClient } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { Config, ConfigError, Context, Effect, Either, Layer, Option, Redacted, Schema, String as Str } from "effect"
import { namingPool } from "./prepared-statements.js"
import { noPgListener, PgListener, pgListenerOn } from "./pg-listener.js"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

// --- errors and services ---------------------------------------------------------------------------------------------

/** The embedded database could not be started (data dir not writable, PGlite or its socket server failed). */
export class DatabaseStartError extends Schema.TaggedError<DatabaseStartError>()("DatabaseStartError", {
  target: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect),
}) {}

export type DatabaseMode = "embedded" | "postgres"

/** Which database this process talks to; `target` is the URL without its password, or the PGlite data directory. */
export class DatabaseInfo extends Context.Tag("@ringmaster/store/DatabaseInfo")<
  DatabaseInfo,
  { readonly mode: DatabaseMode; readonly target: string }
>() {}

/** What every database layer provides. */
export type DatabaseServices = SqlClient | PgClient.PgClient | DatabaseInfo | PgListener

// --- URLs ------------------------------------------------------------------------------------------------------------

const redactedPassword = "***"

const hidePasswordParams = (url: URL): void => {
  for (const key of [...url.searchParams.keys()]) {
    if (key.toLowerCase().includes("password")) url.searchParams.set(key, redactedPassword)
  }
}

/**
 * For text that is not a well-formed URL: hides everything between the first ':' of the user info and the last '@'
 * (over-redacting rather than leaking), and the values of `*password*=` parameters.
 */
const redactUrlText = (raw: string): string => {
  const params = raw.replace(/(password[^=&#]*=)[^&#]*/gi, `$1${redactedPassword}`)
  const at = params.lastIndexOf("@")
  const schemeEnd = params.indexOf("//")
  const userStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 2 : 0
  const colon = params.indexOf(":", userStart)
  if (at < 0 || colon < 0 || colon > at) return params
  return `${params.slice(0, colon + 1)}${redactedPassword}${params.slice(at)}`
}

/**
 * The URL with its password (and any `*password*` query parameter) replaced by `***`; safe to log. Works on
 * malformed input too, where a password with a '/' or '#' can make a URL parser miss the user info.
 */
export const redactUrl = (raw: string): string => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return redactUrlText(raw)
  }
  const parsedUserInfo = url.username !== "" || url.password !== ""
  if (raw.includes("@") && !parsedUserInfo) return redactUrlText(raw)
  if (url.password !== "") url.password = redactedPassword
  hidePasswordParams(url)
  return url.toString()
}

/** The URL with no password at all: what `DatabaseInfo.target` shows. */
const urlWithoutPassword = (url: URL): string => {
  const copy = new URL(url.toString())
  copy.password = ""
  for (const key of [...copy.searchParams.keys()]) {
    if (key.toLowerCase().includes("password")) copy.searchParams.delete(key)
  }
  return copy.toString()
}

/** Why `raw` is not a PostgreSQL URL, or the parsed URL. */
export const parsePostgresUrl = (raw: string): Either.Either<URL, string> => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return Either.left("it is not a URL")
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    return Either.left(`its scheme is "${url.protocol.replace(/:$/, "")}", expected postgres or postgresql`)
  }
  return Either.right(url)
}

/**
 * PostgreSQL probes an idle connection after 5 s and drops it after 3 unanswered probes 2 s apart. A runner lost in
 * a network partition cannot close its connections; without this the server would keep them, and the shard locks
 * they hold (advisory locks, see `@effect/cluster`'s SQL runner storage), for its default of 2 hours and more, and
 * no other runner could take that runner's entities. With it they are released about 11 s after the partition.
 */
const keepaliveOptions = "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3"

/**
 * The startup `options` every session gets: the keepalives above (before any options the URL already has, which
 * may change them) and `-c TimeZone=UTC` (after them, so that it wins). PostgreSQL applies them to every pooled
 * connection; PGlite ignores startup options but runs in UTC already.
 */
export const withSessionSettings = (url: URL): URL => {
  const copy = new URL(url.toString())
  const existing = copy.searchParams.get("options")
  const options = [keepaliveOptions, existing, "-c TimeZone=UTC"].filter((o) => o !== null && o !== "").join(" ")
  copy.searchParams.set("options", options)
  return copy
}

// --- configuration ---------------------------------------------------------------------------------------------------

const databaseUrl = Config.option(Config.redacted("DATABASE_URL")).pipe(
  Config.mapOrFail((value) => {
    const raw = Option.match(value, { onNone: () => "", onSome: Redacted.value }).trim()
    // Empty counts as unset, as `DATABASE_URL=` in an env file means "no PostgreSQL".
    if (raw === "") return Either.right(Option.none<URL>())
    return Either.match(parsePostgresUrl(raw), {
      onLeft: (reason) =>
        Either.left(
          ConfigError.InvalidData(
            ["DATABASE_URL"],
            `DATABASE_URL must be a postgres:// or postgresql:// URL, but ${reason}: "${redactUrl(raw)}"`,
          ),
        ),
      onRight: (url) => Either.right(Option.some(url)),
    })
  }),
)

/**
 * Where the database is: `DATABASE_URL` (PostgreSQL, optional, empty means unset), `DATA_DIR` (embedded data, default `./.data`) and
 * `DATABASE_POOL_SIZE` (PostgreSQL connections, default 10, at least 2: the cluster's runner storage keeps one for its
 * advisory locks). The embedded database always uses exactly one connection.
 */
export const DatabaseConfig = Config.all({
  url: databaseUrl,
  dataDir: Config.string("DATA_DIR").pipe(Config.withDefault("./.data")),
  poolSize: Config.integer("DATABASE_POOL_SIZE").pipe(Config.withDefault(10)),
}).pipe(
  Config.mapOrFail((config) =>
    Option.isSome(config.url) && config.poolSize < 2
      ? Either.left(
          ConfigError.InvalidData(
            ["DATABASE_POOL_SIZE"],
            `DATABASE_POOL_SIZE must be an integer of at least 2 with PostgreSQL, got ${config.poolSize}`,
          ),
        )
      : Either.right(config),
  ),
)
export type DatabaseConfig = Config.Config.Success<typeof DatabaseConfig>

// --- type parsers ----------------------------------------------------------------------------------------------------

const INT8_OID = 20
const INT8_ARRAY_OID = 1016

/** `int8` text to a `number` when exact, else to a `bigint`. */
export const parseInt8 = (text: string): number | bigint => {
  const asNumber = Number(text)
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text)
}

type TextParser = (text: string) => unknown
interface PgTypes {
  readonly getTypeParser: (oid: number, format?: string) => TextParser
  readonly arrayParser: { readonly create: (text: string, parse: TextParser) => { readonly parse: () => unknown } }
}

/** The driver's default parsers (pg-types), from the same `pg` that @effect/sql-pg uses. */
const defaultPgTypes = (): PgTypes => (createRequire(import.meta.url)("pg") as { readonly types: PgTypes }).types

/** The `pg` type parsers for both modes: the driver's defaults, except `int8` (see the module comment). */
const pgTypeParsers = (() => {
  const defaults = defaultPgTypes()
  return {
    getTypeParser: (oid: number, format?: string): TextParser => {
      if (format !== "binary") {
        if (oid === INT8_OID) return parseInt8
        if (oid === INT8_ARRAY_OID) return (text) => defaults.arrayParser.create(text, parseInt8).parse()
      }
      return defaults.getTypeParser(oid, format)
    },
  }
})()

// --- PostgreSQL ------------------------------------------------------------------------------------------------------

/** What both modes pass to `PgClient`, so that a query reads the same in either. */
const sharedClientOptions = {
  applicationName: "ringmaster",
  types: pgTypeParsers,
  transformResultNames: Str.snakeToCamel,
  transformJson: false,
} as const

/** A PgClient on a pool that names repeated statements (`prepared-statements.ts`), as both modes use it. */
const clientOnPool = (pool: { readonly url: URL; readonly maxConnections: number; readonly minConnections?: number }) =>
  PgClient.layerFromPool({
    acquire: namingPool({
      ...pool,
      applicationName: sharedClientOptions.applicationName,
      types: sharedClientOptions.types,
    }),
    transformResultNames: sharedClientOptions.transformResultNames,
    transformJson: sharedClientOptions.transformJson,
  })

/** A PgClient on a PostgreSQL server, sessions in UTC. */
const layerPostgres = (options: {
  readonly url: URL
  readonly maxConnections: number
}): Layer.Layer<DatabaseServices, SqlError> =>
  Layer.mergeAll(
    clientOnPool({ url: withSessionSettings(options.url), maxConnections: options.maxConnections }),
    Layer.succeed(DatabaseInfo, { mode: "postgres", target: urlWithoutPassword(options.url) }),
    Layer.succeed(PgListener, pgListenerOn(withSessionSettings(options.url))),
  )

// --- embedded (PGlite) -----------------------------------------------------------------------------------------------

const memoryTarget = "memory://"

const startFailure = (target: string, message: string) => (cause: unknown) =>
  new DatabaseStartError({ target, message, cause })

const releaseQuietly = (what: string, close: () => Promise<unknown>) =>
  Effect.tryPromise(close).pipe(
    Effect.catchAll((error) => Effect.logWarning(`Embedded database: closing ${what} failed`, error)),
  )

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** The pid holding the lock file, when that process still runs. */
const lockHolder = async (lockPath: string): Promise<number | undefined> => {
  const pid = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10)
  return Number.isInteger(pid) && pid > 0 && isRunning(pid) ? pid : undefined
}

/**
 * PGlite does not lock its data directory, and two instances writing one directory corrupt it: take
 * `<directory>.lock` (holding our pid), replacing a lock left by a process that no longer runs.
 */
const lockDataDir = (directory: string) => {
  const lockPath = `${directory}.lock`
  const take = Effect.tryPromise({
    try: async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await writeFile(lockPath, String(process.pid), { flag: "wx" })
          return
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
        }
        const holder = await lockHolder(lockPath)
        if (holder !== undefined) throw new Error(`process ${holder} holds ${lockPath}`)
        await rm(lockPath, { force: true })
      }
      throw new Error(`could not take ${lockPath}`)
    },
    catch: (cause) =>
      new DatabaseStartError({
        target: directory,
        message: `cannot lock the data directory "${directory}": ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      }),
  })
  return Effect.acquireRelease(take, () =>
    releaseQuietly("the data directory lock", () => rm(lockPath, { force: true })),
  )
}

const openPglite = (dataDir: Option.Option<string>) => {
  const target = Option.getOrElse(dataDir, () => memoryTarget)
  return Effect.gen(function* () {
    if (Option.isSome(dataDir)) {
      yield* Effect.tryPromise({
        try: () => mkdir(dataDir.value, { recursive: true }),
        catch: startFailure(target, `cannot create the data directory "${target}"`),
      })
      yield* lockDataDir(dataDir.value)
    }
    return yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => PGlite.create(Option.isSome(dataDir) ? { dataDir: dataDir.value } : {}),
        catch: startFailure(target, `cannot open PGlite in "${target}"`),
      }),
      (db) => releaseQuietly("PGlite", () => db.close()),
    )
  })
}

/** Serves PGlite on a unix socket in a private temporary directory; returns that directory (the `pg` host). */
const serveOnUnixSocket = (db: PGlite, target: string) =>
  Effect.gen(function* () {
    const socketDir = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => mkdtemp(join(tmpdir(), "ringmaster-pglite-")),
        catch: startFailure(target, "cannot create a directory for the PGlite socket"),
      }),
      (dir) => releaseQuietly("the socket directory", () => rm(dir, { recursive: true, force: true })),
    )
    // One connection only: PGlite has a single backend, and pglite-socket's multiplexing breaks prepared statements.
    const server = new PGLiteSocketServer({ db, path: join(socketDir, ".s.PGSQL.5432"), maxConnections: 1 })
    yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => server.start(),
        catch: startFailure(target, "cannot start the PGlite socket server"),
      }),
      () => releaseQuietly("the PGlite socket server", () => server.stop()),
    )
    return socketDir
  })

/**
 * An embedded PGlite, persisted in `dataDir` when given (created if missing) or in memory, reached by a PgClient
 * with exactly one connection. Release closes the client, then the socket server, then PGlite (flushing its data).
 */
const layerEmbedded = (
  dataDir: Option.Option<string>,
): Layer.Layer<DatabaseServices, SqlError | DatabaseStartError> => {
  const directory = Option.map(dataDir, (dir) => resolve(dir))
  const target = Option.getOrElse(directory, () => memoryTarget)
  return Layer.unwrapScoped(
    Effect.gen(function* () {
      const db = yield* openPglite(directory)
      const socketDir = yield* serveOnUnixSocket(db, target)
      const client = clientOnPool({
        url: new URL(`postgres://postgres@${encodeURIComponent(socketDir)}/postgres`),
        maxConnections: 1,
        // Keep the one connection open: reconnecting costs a new startup on the single backend for nothing.
        minConnections: 1,
      })
      return Layer.mergeAll(
        client,
        Layer.succeed(DatabaseInfo, { mode: "embedded", target }),
        Layer.succeed(PgListener, noPgListener),
      )
    }),
  )
}

// --- the layer the process uses --------------------------------------------------------------------------------------

/** The embedded database's directory inside `DATA_DIR`. */
export const embeddedDataDir = (dataDir: string): string => join(dataDir, "pglite")

const fromConfig = (config: DatabaseConfig): Layer.Layer<DatabaseServices, SqlError | DatabaseStartError> =>
  Option.match(config.url, {
    onNone: () => layerEmbedded(Option.some(embeddedDataDir(config.dataDir))),
    onSome: (url) => layerPostgres({ url, maxConnections: config.poolSize }),
  })

export const Database = {
  /** PostgreSQL when `DATABASE_URL` is set, else PGlite in `<DATA_DIR>/pglite`; see `DatabaseConfig`. */
  layer: Layer.unwrapEffect(Effect.map(DatabaseConfig, fromConfig)) satisfies Layer.Layer<
    DatabaseServices,
    ConfigError.ConfigError | SqlError | DatabaseStartError
  >,
  /** The same from an explicit configuration instead of the environment. */
  layerFrom: fromConfig,
  /** A fresh PGlite in memory: for tests. */
  layerEmbeddedInMemory: layerEmbedded(Option.none()),
  layerEmbedded,
  layerPostgres,
}

/**
 * Named prepared statements for the `pg` pool behind `PgClient`.
 *
 * `@effect/sql-pg` sends every statement unnamed, so PostgreSQL parses, analyses and plans it on each run. Counted
 * with `pg_stat_statements` over the distributor bench, planning alone took 0.6 ms of the database's time for every
 * 1 ms of execution. A statement the process runs again gets a name instead: `pg` then parses it once per
 * connection and sends only Bind and Execute afterwards, and PostgreSQL may keep a generic plan for it.
 *
 * Names go only to parameterised statements seen at least twice (DDL, `BEGIN` and one-off statements stay unnamed),
 * and at most `maxNamed` texts are named per pool: a statement built with a variable number of placeholders could
 * otherwise fill every backend's memory with plans used once. Past `maxTracked` texts counted, new texts are not.
 *
 * The embedded PGlite is reached the same way (pglite-socket, one connection): its backend runs in this process, so
 * what it does not parse and plan is this process's CPU saved. Each new connection starts with `DEALLOCATE ALL`:
 * PGlite's single backend outlives a connection, and with it the statements that connection prepared.
 *
 * A prepared statement keeps the row type of the tables it was planned on. When the schema changes under a running
 * process (a new version's migrations during a rolling upgrade: `SELECT *` gets another column), PostgreSQL refuses
 * it with "cached plan must not change result type", on every later run on that connection. The connection then
 * prepares the text again under another name; outside a transaction block the statement had not run, so it runs
 * again at once and the caller sees only the result; inside one the transaction is already aborted, so the caller
 * gets the error and the next run succeeds.
 */
import { SqlError } from "@effect/sql/SqlError"
import { Duration, Effect } from "effect"
import pg from "pg"

export interface StatementNamerLimits {
  /** Distinct statement texts that get a name, at most. */
  readonly maxNamed: number
  /** Distinct statement texts counted, at most, before any is named. */
  readonly maxTracked: number
  /** Runs of a text before it is named (1: named from its first run). */
  readonly namedAfter: number
}

const defaultLimits: StatementNamerLimits = { maxNamed: 512, maxTracked: 8_192, namedAfter: 2 }

/** Decides which statement texts run as named prepared statements, and under which name. */
export class StatementNamer {
  private readonly names = new Map<string, string>()
  private readonly sightings = new Map<string, number>()

  constructor(private readonly limits: StatementNamerLimits = defaultLimits) {}

  /** The name `text` runs under, or undefined to run it unnamed; the same text always keeps the same name. */
  nameFor(text: string): string | undefined {
    const known = this.names.get(text)
    if (known !== undefined) return known
    if (this.names.size >= this.limits.maxNamed) return undefined
    const seen = (this.sightings.get(text) ?? 0) + 1
    if (seen < this.limits.namedAfter) {
      if (this.sightings.has(text) || this.sightings.size < this.limits.maxTracked) this.sightings.set(text, seen)
      return undefined
    }
    this.sightings.delete(text)
    const name = `rm_${this.names.size + 1}`
    this.names.set(text, name)
    return name
  }

  /** How many texts have a name. */
  get namedCount(): number {
    return this.names.size
  }
}

type QueryFunction = pg.Client["query"]
type QueryCallback = (error: Error | null, result?: unknown) => void

/** PostgreSQL's refusal of a prepared statement whose tables changed their row type since it was prepared. */
export const isStalePlan = (error: unknown): boolean =>
  error instanceof Error &&
  (error as { readonly code?: unknown }).code === "0A000" &&
  error.message.includes("cached plan must not change result type")

/**
 * A `pg.Client` class whose `query(text, values, callback)` (the form `PgClient` uses) runs a statement `namer`
 * names as that named prepared statement, prepared again under another name when its plan went stale (see the module
 * comment). Every other form of `query` is passed on as it is.
 */
export const namingClientClass = (namer: StatementNamer): typeof pg.Client => {
  const plainQuery: QueryFunction = pg.Client.prototype.query
  class NamingClient extends pg.Client {
    /** Texts whose statement went stale on this connection, and the name each is prepared under now. */
    readonly renamed = new Map<string, string>()
    renames = 0
  }
  const runNamed = (
    client: NamingClient,
    text: string,
    name: string,
    values: ReadonlyArray<unknown>,
    done: QueryCallback,
  ) =>
    Reflect.apply(plainQuery, client, [
      // Almost always empty: a text is looked up only once some statement of this connection went stale.
      { name: (client.renamed.size === 0 ? undefined : client.renamed.get(text)) ?? name, text, values },
      (error: Error | null, result?: unknown) => {
        if (error === null || !isStalePlan(error)) return done(error, result)
        client.renames += 1
        client.renamed.set(text, `${name}_${client.renames}`)
        // The status as of the statement before (pg sends one at a time). In a transaction block, the transaction is
        // aborted: only its caller can run it again.
        if (client.getTransactionStatus() !== "I") return done(error, result)
        Reflect.apply(plainQuery, client, [{ name: client.renamed.get(text), text, values }, done])
      },
    ])
  const namingQuery = function (this: NamingClient, ...args: ReadonlyArray<unknown>) {
    const [text, values, callback] = args
    if (typeof text === "string" && Array.isArray(values) && values.length > 0 && typeof callback === "function") {
      const name = namer.nameFor(text)
      if (name !== undefined) return runNamed(this, text, name, values, callback as QueryCallback)
    }
    return Reflect.apply(plainQuery, this, args)
  }
  NamingClient.prototype.query = namingQuery as unknown as QueryFunction
  return NamingClient
}

export interface NamingPoolOptions {
  readonly url: URL
  readonly maxConnections: number
  /** Connections kept open even when idle. */
  readonly minConnections?: number
  readonly applicationName: string
  readonly types: pg.CustomTypesConfig
}

/**
 * A `pg.Pool` whose clients name repeated statements (see the module comment), checked with `SELECT 1` before it is
 * handed out and ended when the scope closes: what `PgClient.layer` does with the pool it makes itself.
 */
export const namingPool = (options: NamingPoolOptions) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const pool = new pg.Pool({
        connectionString: options.url.toString(),
        max: options.maxConnections,
        min: options.minConnections ?? 0,
        application_name: options.applicationName,
        types: options.types,
        Client: namingClientClass(new StatementNamer()),
        onConnect: async (client) => {
          await client.query("DEALLOCATE ALL")
        },
      })
      pool.on("error", () => {})
      return pool
    }),
    (pool) => Effect.promise(() => pool.end()).pipe(Effect.interruptible, Effect.timeoutOption(1_000)),
  ).pipe(
    Effect.tap((pool) =>
      Effect.tryPromise({
        try: () => pool.query("SELECT 1"),
        catch: (cause) => new SqlError({ cause, message: "PgClient: Failed to connect" }),
      }).pipe(
        Effect.timeoutFail({
          duration: Duration.seconds(5),
          onTimeout: () =>
            new SqlError({ cause: new Error("Connection timed out"), message: "PgClient: Connection timed out" }),
        }),
      ),
    ),
  )

import type { SqlClient } from "@effect/sql/SqlClient"
import { Database, embeddedDataDir, Migrator, seedTenant, type SeededTenant } from "@ringmaster/store"
import { testDatabaseUrl } from "@ringmaster/testkit"
import { Effect, Layer, Option } from "effect"
import { scratchDataDir } from "./server-process.js"

/**
 * Where an end-to-end server keeps its data: a fresh PostgreSQL database when DATABASE_URL is set (CI), else an
 * embedded PGlite in a scratch directory. `inspect` opens the same database from the test, after the server stopped.
 */
export interface E2eDatabase {
  readonly mode: "postgres" | "embedded"
  readonly env: Record<string, string | undefined>
  readonly inspect: <A, E>(query: Effect.Effect<A, E, SqlClient>) => Promise<A>
  /** Migrates and seeds another tenant; call before the server starts (the embedded database has one user). */
  readonly seed: (key: string) => Promise<SeededTenant>
  readonly dispose: () => Promise<void>
}

const seedWith = (key: string, layer: Layer.Layer<SqlClient, unknown>) =>
  seedTenant({ key, name: `Tenant ${key}`, agentCount: 1, leadCount: 2, now: Date.now() }).pipe(
    Effect.provide(Layer.provideMerge(Migrator.layer, layer)),
    Effect.orDie,
  )

export const e2eDatabase = async (): Promise<E2eDatabase> => {
  if (process.env["DATABASE_URL"] !== undefined && process.env["DATABASE_URL"] !== "") {
    const { url, drop } = await Effect.runPromise(testDatabaseUrl())
    const layer = Database.layerPostgres({ url: new URL(url), maxConnections: 1 })
    return {
      mode: "postgres",
      env: { DATABASE_URL: url, DATA_DIR: undefined },
      inspect: (query) => Effect.runPromise(Effect.provide(query, layer).pipe(Effect.orDie)),
      seed: (key) => Effect.runPromise(seedWith(key, layer)),
      dispose: () => Effect.runPromise(drop),
    }
  }
  const dir = scratchDataDir()
  const layer: Layer.Layer<SqlClient, unknown> = Database.layerEmbedded(Option.some(embeddedDataDir(dir.path)))
  return {
    mode: "embedded",
    env: { DATABASE_URL: undefined, DATA_DIR: dir.path },
    inspect: (query) => Effect.runPromise(Effect.provide(query, layer).pipe(Effect.orDie)),
    seed: (key) => Effect.runPromise(seedWith(key, layer)),
    dispose: async () => dir.remove(),
  }
}

import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { defaultSettings, type TenantId } from "@ringmaster/domain"
import { Database, Migrator, saveSettings, seedTenant } from "@ringmaster/store"
import { testDatabaseUrl } from "@ringmaster/testkit"
import { Context, Effect, Layer } from "effect"
import { TenantConfigsPostgres } from "../src/tenant-configs-postgres.js"
import { TenantConfigs } from "../src/tenant-configs.js"

/** A runner's view of tenant configuration, on its own connections to the (migrated) database at `url`. */
const runner = (url: string) =>
  Effect.map(
    Layer.build(
      TenantConfigsPostgres.pipe(
        Layer.provideMerge(Migrator.layer),
        Layer.provideMerge(Database.layerPostgres({ url: new URL(url), maxConnections: 2 })),
      ),
    ),
    (context) => ({ configs: Context.get(context, TenantConfigs), database: context }),
  )

describe.skipIf((process.env["DATABASE_URL"] ?? "").trim() === "")("TenantConfigsPostgres on PostgreSQL", () => {
  it.scopedLive(
    "a change made on one runner drops the configuration another runner had cached, long before the cache's minute",
    () =>
      Effect.gen(function* () {
        const scratch = yield* Effect.acquireRelease(testDatabaseUrl(), (s) => s.drop)
        const a = yield* runner(scratch.url)
        const b = yield* runner(scratch.url)
        const seeded = yield* seedTenant({ key: "cfg", name: "Configs", agentCount: 1, leadCount: 0, now: 0 }).pipe(
          Effect.provide(a.database),
        )
        const tenantId = seeded.tenantId as TenantId
        const before = yield* b.configs.get(tenantId)

        const hours = { ...defaultSettings, callingHoursStart: 10, callingHoursEnd: 16 }
        yield* saveSettings(tenantId, hours).pipe(Effect.provide(a.database))
        // Written on A and announced by A. Until B listens (its LISTEN may not be in place yet), announce again.
        const seenOnB = yield* a.configs
          .invalidate(tenantId)
          .pipe(
            Effect.zipRight(Effect.sleep("100 millis")),
            Effect.zipRight(b.configs.get(tenantId)),
            Effect.repeat({ until: (config) => config.settings.callingHoursStart === 10 }),
            Effect.timeout("10 seconds"),
          )
        expect(before.settings.callingHoursStart).toBe(defaultSettings.callingHoursStart)
        expect([seenOnB.settings.callingHoursStart, seenOnB.settings.callingHoursEnd]).toEqual([10, 16])
      }),
    { timeout: 60_000 },
  )

  it.scopedLive("a runner that only reads keeps its cached configuration until told of a change", () =>
    Effect.gen(function* () {
      const scratch = yield* Effect.acquireRelease(testDatabaseUrl(), (s) => s.drop)
      const a = yield* runner(scratch.url)
      const b = yield* runner(scratch.url)
      const seeded = yield* seedTenant({ key: "cfg2", name: "Configs", agentCount: 1, leadCount: 0, now: 0 }).pipe(
        Effect.provide(a.database),
      )
      const tenantId = seeded.tenantId as TenantId
      yield* b.configs.get(tenantId)
      // Written without telling anyone (as an edit straight in the database would be): B keeps what it had.
      yield* saveSettings(tenantId, { ...defaultSettings, callingHoursStart: 11 }).pipe(Effect.provide(a.database))
      yield* Effect.sleep("1 second")
      expect((yield* b.configs.get(tenantId)).settings.callingHoursStart).toBe(defaultSettings.callingHoursStart)
      yield* b.configs.invalidate(tenantId)
      expect((yield* b.configs.get(tenantId)).settings.callingHoursStart).toBe(11)
    }),
  )

  it.scopedLive(
    "a runner whose listening connection was cut drops what it cached, since it may have missed a change",
    () =>
      Effect.gen(function* () {
        const scratch = yield* Effect.acquireRelease(testDatabaseUrl(), (s) => s.drop)
        const a = yield* runner(scratch.url)
        const b = yield* runner(scratch.url)
        const seeded = yield* seedTenant({ key: "cfg3", name: "Configs", agentCount: 1, leadCount: 0, now: 0 }).pipe(
          Effect.provide(a.database),
        )
        const tenantId = seeded.tenantId as TenantId
        yield* b.configs.get(tenantId)
        // A change no runner announces, then both runners' listening connections cut.
        yield* saveSettings(tenantId, { ...defaultSettings, callingHoursStart: 12 }).pipe(Effect.provide(a.database))
        const sql = Context.get(a.database, SqlClient.SqlClient)
        const cut = yield* sql<{ cut: boolean }>`SELECT pg_terminate_backend(pid) AS cut
          FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ringmaster-listen'`
        expect(cut.map((r) => r.cut)).toEqual([true, true])
        const seen = yield* b.configs
          .get(tenantId)
          .pipe(
            Effect.zipLeft(Effect.sleep("100 millis")),
            Effect.repeat({ until: (config) => config.settings.callingHoursStart === 12 }),
            Effect.timeout("10 seconds"),
          )
        expect(seen.settings.callingHoursStart).toBe(12)
      }),
    { timeout: 60_000 },
  )
})

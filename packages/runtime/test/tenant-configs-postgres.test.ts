import { describe, expect, it } from "@effect/vitest"
import { defaultSettings, type TenantId } from "@ringmaster/domain"
import { Database, Migrator, saveSettings, seedTenant } from "@ringmaster/store"
import { cutListeningConnections, testDatabaseUrl } from "@ringmaster/testkit"
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

/** Two runners on a scratch database with one tenant, whose configuration B has read (and cached). */
const twoRunners = Effect.gen(function* () {
  const scratch = yield* Effect.acquireRelease(testDatabaseUrl(), (s) => s.drop)
  const a = yield* runner(scratch.url)
  const b = yield* runner(scratch.url)
  const seeded = yield* seedTenant({ key: "cfg", name: "Configs", agentCount: 1, leadCount: 0, now: 0 }).pipe(
    Effect.provide(a.database),
  )
  const tenantId = seeded.tenantId as TenantId
  const cached = yield* b.configs.get(tenantId)
  /** Writes the tenant's calling hours from `start` on A, telling no one. */
  const writeOnA = (start: number) =>
    saveSettings(tenantId, { ...defaultSettings, callingHoursStart: start }).pipe(Effect.provide(a.database))
  return { a, b, tenantId, cached, writeOnA }
})

/** B's configuration of the tenant, read every 100 ms after `before` until its calling hours start at `start`. */
const seenOnB = (b: TenantConfigs["Type"], tenantId: TenantId, start: number, before: Effect.Effect<void>) =>
  before.pipe(
    Effect.zipRight(Effect.sleep("100 millis")),
    Effect.zipRight(b.get(tenantId)),
    Effect.repeat({ until: (config) => config.settings.callingHoursStart === start }),
    Effect.timeout("10 seconds"),
  )

describe.skipIf((process.env["DATABASE_URL"] ?? "").trim() === "")("TenantConfigsPostgres on PostgreSQL", () => {
  it.scopedLive(
    "a change made on one runner drops the configuration another runner had cached, long before the cache's minute",
    () =>
      Effect.gen(function* () {
        const { a, b, tenantId, cached, writeOnA } = yield* twoRunners
        yield* writeOnA(10)
        // Written on A and announced by A. Until B listens (its LISTEN may not be in place yet), announce again.
        const seen = yield* seenOnB(b.configs, tenantId, 10, a.configs.invalidate(tenantId))
        expect(cached.settings.callingHoursStart).toBe(defaultSettings.callingHoursStart)
        expect(seen.settings.callingHoursStart).toBe(10)
      }),
    { timeout: 60_000 },
  )

  it.scopedLive("a runner that only reads keeps its cached configuration until told of a change", () =>
    Effect.gen(function* () {
      const { b, tenantId, writeOnA } = yield* twoRunners
      // Written without telling anyone (as an edit straight in the database would be): B keeps what it had.
      yield* writeOnA(11)
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
        const { a, b, tenantId, writeOnA } = yield* twoRunners
        // A change no runner announces, then both runners' listening connections cut.
        yield* writeOnA(12)
        expect(yield* cutListeningConnections.pipe(Effect.provide(a.database))).toBe(2)
        const seen = yield* seenOnB(b.configs, tenantId, 12, Effect.void)
        expect(seen.settings.callingHoursStart).toBe(12)
      }),
    { timeout: 60_000 },
  )
})

import type { SqlError } from "@effect/sql/SqlError"
import { SqlClient } from "@effect/sql"
import type { TenantId } from "@ringmaster/domain"
import { loadTenantConfig, type TenantConfig } from "@ringmaster/store"
import { Cache, Context, Duration, Effect, Layer } from "effect"

/**
 * How long a tenant's configuration is kept without being asked to drop it. Every change made through the control
 * plane drops it at once (on every runner with `TenantConfigsPostgres`); this bounds how long an edit made past the control
 * plane, straight in the database, goes unseen.
 */
export const TENANT_CONFIG_TTL = Duration.minutes(1)

/**
 * Tenant configuration (statuses, cadences, lead types, dispositions, settings), cached because every entity message
 * reads it. Whoever changes the configuration calls `invalidate`. `layer` serves one process.
 */
export class TenantConfigs extends Context.Tag("@ringmaster/runtime/TenantConfigs")<
  TenantConfigs,
  {
    readonly get: (tenantId: TenantId) => Effect.Effect<TenantConfig, SqlError>
    readonly invalidate: (tenantId: TenantId) => Effect.Effect<void>
    /** Drops every tenant's configuration (changes may have been missed). */
    readonly invalidateAll: Effect.Effect<void>
  }
>() {
  static readonly layer = Layer.effect(
    TenantConfigs,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const cache = yield* Cache.make({
        capacity: 1_000,
        timeToLive: TENANT_CONFIG_TTL,
        lookup: (tenantId: TenantId) => Effect.provideService(loadTenantConfig(tenantId), SqlClient.SqlClient, sql),
      })
      return {
        get: (tenantId) => cache.get(tenantId),
        invalidate: (tenantId) => cache.invalidate(tenantId),
        invalidateAll: cache.invalidateAll,
      }
    }),
  )
}

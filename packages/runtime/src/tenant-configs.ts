import type { SqlError } from "@effect/sql/SqlError"
import { SqlClient } from "@effect/sql"
import type { TenantId } from "@ringmaster/domain"
import { loadTenantConfig, type TenantConfig } from "@ringmaster/store"
import { Cache, Context, Duration, Effect, Layer } from "effect"

/**
 * Tenant configuration (statuses, cadences, lead types, dispositions, settings), cached briefly because every
 * entity message reads it. Whoever changes the configuration calls `invalidate`.
 */
export class TenantConfigs extends Context.Tag("@ringmaster/runtime/TenantConfigs")<
  TenantConfigs,
  {
    readonly get: (tenantId: TenantId) => Effect.Effect<TenantConfig, SqlError>
    readonly invalidate: (tenantId: TenantId) => Effect.Effect<void>
  }
>() {
  static readonly layer = Layer.effect(
    TenantConfigs,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const cache = yield* Cache.make({
        capacity: 1_000,
        timeToLive: Duration.seconds(2),
        lookup: (tenantId: TenantId) => Effect.provideService(loadTenantConfig(tenantId), SqlClient.SqlClient, sql),
      })
      return {
        get: (tenantId) => cache.get(tenantId),
        invalidate: (tenantId) => cache.invalidate(tenantId),
      }
    }),
  )
}

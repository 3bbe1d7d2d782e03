import { SqlClient } from "@effect/sql"
import { TenantId } from "@ringmaster/domain"
import { PgListener, pgNotify } from "@ringmaster/store"
import { Context, Effect, Layer, Schedule, Stream } from "effect"
import { TenantConfigs } from "./tenant-configs.js"

/** The PostgreSQL channel on which runners tell each other that a tenant's configuration changed. */
const CONFIG_CHANNEL = "ringmaster_config"

/**
 * Tenant configuration for runners sharing one PostgreSQL: a change made on one runner drops the cached configuration
 * on every runner, through NOTIFY, so a supervisor's edit applies everywhere as soon as it is written. Whenever a
 * listening connection starts listening, every cached configuration is dropped, since changes may have gone by
 * unheard before it did.
 */
export const TenantConfigsPostgres = Layer.scoped(
  TenantConfigs,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const listener = yield* PgListener
    const local = Context.get(yield* Layer.build(TenantConfigs.layer), TenantConfigs)

    // A lost connection fails the stream: listen again on a new one, dropping what may have changed meanwhile.
    yield* listener.listen(CONFIG_CHANNEL, local.invalidateAll).pipe(
      Stream.runForEach((tenantId) => local.invalidate(TenantId.make(tenantId))),
      Effect.tapError((error) => Effect.logWarning("configuration changes of other runners: listening again", error)),
      Effect.retry(Schedule.spaced("1 second")),
      Effect.forkScoped,
    )

    const invalidate = (tenantId: TenantId) =>
      Effect.zipRight(
        local.invalidate(tenantId),
        pgNotify(CONFIG_CHANNEL, tenantId).pipe(
          Effect.provideService(SqlClient.SqlClient, sql),
          Effect.catchAllCause((cause) => Effect.logWarning("other runners could not be told of a change", cause)),
        ),
      )

    return TenantConfigs.of({ get: local.get, invalidate, invalidateAll: local.invalidateAll })
  }),
)

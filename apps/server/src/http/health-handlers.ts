import { HttpApiBuilder } from "@effect/platform"
import { RingmasterApi } from "@ringmaster/protocol"
import { databaseHealth } from "@ringmaster/store"
import { Context, Effect } from "effect"

/** What the process tells about itself on /health besides the database. */
export class RuntimeInfo extends Context.Tag("@ringmaster/server/RuntimeInfo")<
  RuntimeInfo,
  { readonly clusterMode: "single" | "multi"; readonly carrier: string; readonly runner: string }
>() {}

export const HealthHandlers = HttpApiBuilder.group(RingmasterApi, "health", (handlers) =>
  Effect.gen(function* () {
    const info = yield* RuntimeInfo
    return handlers.handle("health", () =>
      Effect.gen(function* () {
        const database = yield* databaseHealth
        return {
          status: database.ok ? ("ok" as const) : ("degraded" as const),
          database: { ok: database.ok, mode: database.mode, latencyMs: database.latencyMs },
          cluster: { ok: true, mode: info.clusterMode, detail: info.runner },
          carrier: info.carrier,
        }
      }),
    )
  }),
)

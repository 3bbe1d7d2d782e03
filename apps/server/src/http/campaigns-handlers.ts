import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import { CampaignEntity, CurrentUser, notFound, RingmasterApi } from "@ringmaster/protocol"
import { TenantConfigs } from "@ringmaster/runtime"
import { findTenantCampaign } from "@ringmaster/store"
import { Effect, Option } from "effect"

export const CampaignsHandlers = HttpApiBuilder.group(RingmasterApi, "campaigns", (handlers) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    const campaigns = yield* Effect.provideService(CampaignEntity.client, Sharding.Sharding, yield* Sharding.Sharding)
    return handlers
      .handle("queue", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const campaign = yield* findTenantCampaign(user.tenantId, path.campaignId).pipe(Effect.orDie)
          if (Option.isNone(campaign)) return yield* notFound("campaign", path.campaignId)
          return yield* campaigns(campaign.value.id)
            .Queue({ limit: urlParams.limit ?? 20 })
            .pipe(Effect.orDie)
        }),
      )
      .handle("dispositions", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          return Array.from(config.dispositions.values())
        }),
      )
  }),
)

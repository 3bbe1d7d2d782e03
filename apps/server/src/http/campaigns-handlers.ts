import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { CampaignId, newId } from "@ringmaster/domain"
import { CampaignEntity, Conflict, CurrentUser, notFound, RingmasterApi } from "@ringmaster/protocol"
import { TenantConfigs } from "@ringmaster/runtime"
import {
  callbacksWaitingSince,
  findCampaignByName,
  findLead,
  findTenantCampaign,
  insertCampaign,
  listCampaigns,
  setCampaignPaused,
  updateCampaignSettings,
} from "@ringmaster/store"
import { Clock, Effect, Either, Option } from "effect"
import { campaignSettingsOf, campaignView } from "./campaign-input.js"
import { fromIssue, intParam } from "./input.js"
import { requireConfigurer, requireReader } from "./roles.js"

export const CampaignsHandlers = HttpApiBuilder.group(RingmasterApi, "campaigns", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const configs = yield* TenantConfigs
    const campaigns = yield* Effect.provideService(CampaignEntity.client, Sharding.Sharding, yield* Sharding.Sharding)

    const owned = (campaignId: string) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        const campaign = yield* findTenantCampaign(user.tenantId, campaignId).pipe(Effect.orDie)
        if (Option.isNone(campaign)) return yield* notFound("campaign", campaignId)
        return campaign.value
      })
    const nameTaken = (name: string, except: CampaignId | null) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        const other = yield* findCampaignByName(user.tenantId, name).pipe(Effect.orDie)
        if (Option.isSome(other) && other.value.id !== except) {
          return yield* new Conflict({ code: "name-taken", message: `name: "${name}" is already a campaign's name` })
        }
      })
    /** Stored, then the running campaign re-reads its settings, so hand-outs stop as soon as this answers. */
    const reloaded = (campaignId: CampaignId) =>
      Effect.gen(function* () {
        yield* campaigns(campaignId).SettingsChanged().pipe(Effect.orDie)
        return campaignView(yield* owned(campaignId))
      })
    const setPaused = (campaignId: CampaignId, paused: boolean) =>
      Effect.gen(function* () {
        const user = yield* requireConfigurer
        const campaign = yield* owned(campaignId)
        if (campaign.paused === paused) return campaignView(campaign)
        const now = yield* Clock.currentTimeMillis
        yield* setCampaignPaused(user.tenantId, campaign.id, paused, now).pipe(Effect.orDie)
        return yield* reloaded(campaign.id)
      })

    return handlers
      .handle("list", () =>
        Effect.gen(function* () {
          const user = yield* requireReader
          return (yield* listCampaigns(user.tenantId).pipe(Effect.orDie)).map(campaignView)
        }),
      )
      .handle("get", ({ path }) =>
        requireReader.pipe(Effect.zipRight(owned(path.campaignId)), Effect.map(campaignView)),
      )
      .handle("create", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const settings = campaignSettingsOf(payload, null, {
            region: config.region,
            dialRatio: config.settings.autoDialRatio,
          })
          if (Either.isLeft(settings)) return yield* fromIssue(settings.left)
          yield* nameTaken(settings.right.name, null)
          const id = newId(CampaignId)
          const now = yield* Clock.currentTimeMillis
          yield* insertCampaign({ ...settings.right, id, tenantId: user.tenantId, now }).pipe(Effect.orDie)
          return campaignView(yield* owned(id).pipe(Effect.orDie))
        }),
      )
      .handle("update", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const campaign = yield* owned(path.campaignId)
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const settings = campaignSettingsOf(payload, campaign, {
            region: config.region,
            dialRatio: config.settings.autoDialRatio,
          })
          if (Either.isLeft(settings)) return yield* fromIssue(settings.left)
          yield* nameTaken(settings.right.name, campaign.id)
          const now = yield* Clock.currentTimeMillis
          yield* sql
            .withTransaction(updateCampaignSettings(user.tenantId, campaign.id, settings.right, now))
            .pipe(Effect.orDie)
          return yield* reloaded(campaign.id)
        }),
      )
      .handle("pause", ({ path }) => setPaused(path.campaignId, true))
      .handle("resume", ({ path }) => setPaused(path.campaignId, false))
      .handle("queue", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const user = yield* requireReader
          const limit = yield* intParam("limit", urlParams.limit, { min: 1, max: 1_000, fallback: 20 })
          const campaign = yield* owned(path.campaignId)
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const items = yield* campaigns(campaign.id).Queue({ limit }).pipe(Effect.orDie)
          const callbacks = yield* callbacksWaitingSince(
            user.tenantId,
            items.map((item) => item.leadId),
          ).pipe(Effect.orDie)
          return yield* Effect.forEach(items, (item) =>
            Effect.map(findLead(item.leadId).pipe(Effect.orDie), (found) => {
              const lead = Option.getOrNull(found)
              return {
                ...item,
                name: lead?.name ?? "",
                phone: lead?.phone ?? "",
                leadTypeId: lead?.leadTypeId ?? "",
                leadType: lead === null ? "" : (config.leadTypes.get(lead.leadTypeId)?.name ?? lead.leadTypeId),
                statusId: lead?.statusId ?? "",
                status: lead === null ? "" : (config.statuses.get(lead.statusId)?.name ?? lead.statusId),
                createdAt: lead?.createdAt ?? 0,
                callbackSince: callbacks.get(item.leadId) ?? null,
              }
            }),
          )
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

import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { CampaignId, validateCadence, validateSettings } from "@ringmaster/domain"
import {
  CampaignEntity,
  CurrentUser,
  notFound,
  RingmasterApi,
  ValidationError,
  type CadenceView,
} from "@ringmaster/protocol"
import { changeCadence, changePriorityZero, TenantConfigs } from "@ringmaster/runtime"
import {
  findTenantCampaign,
  listAlerts,
  saveSettings,
  setDepletionThreshold,
  type TenantConfig,
} from "@ringmaster/store"
import { Effect, Either, Option } from "effect"
import { requireRole } from "./roles.js"

const cadenceViews = (config: TenantConfig): Array<CadenceView> =>
  Array.from(config.cadences, ([statusId, c]) => ({
    statusId,
    status: config.statuses.get(statusId)?.name ?? statusId,
    ...c,
  }))

export const ConfigHandlers = HttpApiBuilder.group(RingmasterApi, "config", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const configs = yield* TenantConfigs
    const sharding = yield* Sharding.Sharding
    const campaigns = yield* Effect.provideService(CampaignEntity.client, Sharding.Sharding, sharding)
    const fresh = (tenantId: Parameters<typeof configs.get>[0]) =>
      Effect.zipRight(configs.invalidate(tenantId), configs.get(tenantId).pipe(Effect.orDie))

    return handlers
      .handle("leadTypes", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          return Array.from(config.leadTypes.values())
        }),
      )
      .handle("setPriorityZero", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor")
          const changed = yield* changePriorityZero({
            tenantId: user.tenantId,
            leadTypeId: path.leadTypeId,
            priorityZero: payload.priorityZero,
          }).pipe(Effect.orDie)
          if (!changed) return yield* notFound("leadType", path.leadTypeId)
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const leadType = config.leadTypes.get(path.leadTypeId)
          if (leadType === undefined) return yield* notFound("leadType", path.leadTypeId)
          return leadType
        }),
      )
      .handle("cadences", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          return cadenceViews(yield* configs.get(user.tenantId).pipe(Effect.orDie))
        }),
      )
      .handle("setCadence", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor")
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          if (!config.statuses.has(path.statusId)) return yield* notFound("status", path.statusId)
          const cadence = validateCadence(payload)
          if (Either.isLeft(cadence)) {
            const { field, value, message } = cadence.left
            return yield* new ValidationError({ field, value, message })
          }
          if (!config.statuses.has(cadence.right.finalStatusId)) {
            return yield* new ValidationError({
              field: "finalStatusId",
              value: cadence.right.finalStatusId,
              message: `finalStatusId: "${cadence.right.finalStatusId}" is not a status of this tenant`,
            })
          }
          yield* changeCadence({ tenantId: user.tenantId, statusId: path.statusId, cadence: cadence.right }).pipe(
            Effect.orDie,
          )
          const updated = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const view = cadenceViews(updated).find((c) => c.statusId === path.statusId)
          if (view === undefined) return yield* notFound("cadence", path.statusId)
          return view
        }),
      )
      .handle("settings", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          return (yield* configs.get(user.tenantId).pipe(Effect.orDie)).settings
        }),
      )
      .handle("updateSettings", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor")
          const current = (yield* configs.get(user.tenantId).pipe(Effect.orDie)).settings
          const merged = validateSettings({ ...current, ...payload })
          if (Either.isLeft(merged)) {
            const { field, value, message } = merged.left
            return yield* new ValidationError({ field, value, message })
          }
          yield* saveSettings(user.tenantId, merged.right).pipe(Effect.orDie)
          return (yield* fresh(user.tenantId)).settings
        }),
      )
      .handle("setDepletionThreshold", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor")
          const campaign = yield* findTenantCampaign(user.tenantId, path.campaignId).pipe(Effect.orDie)
          if (Option.isNone(campaign)) return yield* notFound("campaign", path.campaignId)
          const threshold = payload.threshold
          if (threshold !== null && (!Number.isInteger(threshold) || threshold < 0 || threshold > 1_000_000)) {
            return yield* new ValidationError({
              field: "threshold",
              value: String(threshold),
              message: `threshold: "${threshold}" must be a whole number from 0 to 1000000, or null to stop alerts`,
            })
          }
          yield* setDepletionThreshold({
            tenantId: user.tenantId,
            campaignId: CampaignId.make(campaign.value.id),
            userId: user.userId,
            threshold,
          }).pipe(Effect.orDie)
          yield* campaigns(campaign.value.id).ReloadThresholds().pipe(Effect.orDie)
          return { campaignId: campaign.value.id, threshold }
        }),
      )
      .handle("alerts", ({ urlParams }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor", "analyst")
          const limit = Math.max(1, Math.min(500, Math.floor(urlParams.limit ?? 50)))
          return yield* listAlerts(user.tenantId, limit).pipe(
            Effect.orDie,
            Effect.provideService(SqlClient.SqlClient, sql),
          )
        }),
      )
  }),
)

import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import {
  type Cadence,
  CampaignId,
  LeadStatusId,
  LeadTypeId,
  newId,
  type TenantId,
  validateCadence,
  validateSettings,
} from "@ringmaster/domain"
import {
  CampaignEntity,
  Conflict,
  type LeadStatusView,
  notFound,
  RingmasterApi,
  ValidationError,
  type CadenceView,
} from "@ringmaster/protocol"
import { changeCadence, changePriorityZero, refreshStatusLeads, TenantConfigs } from "@ringmaster/runtime"
import {
  deleteCadence,
  findTenantCampaign,
  insertLeadType,
  insertStatus,
  listAlerts,
  listStatusRows,
  saveSettings,
  setDepletionThreshold,
  updateLeadType,
  updateStatus,
  upsertCadence,
  type TenantConfig,
} from "@ringmaster/store"
import { Effect, Either, Option } from "effect"
import { invalid } from "./input.js"
import { requireConfigurer, requireReader } from "./roles.js"

const cadenceViews = (config: TenantConfig): Array<CadenceView> =>
  Array.from(config.cadences, ([statusId, c]) => ({
    statusId,
    status: config.statuses.get(statusId)?.name ?? statusId,
    ...c,
  }))

const statusViews = (
  config: TenantConfig,
  rows: ReadonlyArray<{ id: LeadStatusId; name: string; terminal: boolean }>,
) =>
  rows.map((r): LeadStatusView => {
    const cadence = config.cadences.get(r.id)
    return { id: r.id, name: r.name, terminal: r.terminal, dialable: cadence !== undefined, cadence: cadence ?? null }
  })

const nameOf = (raw: string | undefined, fallback: string | null) => {
  if (raw === undefined) {
    return fallback === null ? Either.left(invalid("name", "", "is required")) : Either.right(fallback)
  }
  const name = raw.trim()
  return name === "" || name.length > 100
    ? Either.left(invalid("name", raw, "must be 1 to 100 characters"))
    : Either.right(name)
}

const taken = (what: string, name: string) =>
  new Conflict({ code: "name-taken", message: `name: "${name}" is already the name of a ${what}` })

export const ConfigHandlers = HttpApiBuilder.group(RingmasterApi, "config", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const configs = yield* TenantConfigs
    const sharding = yield* Sharding.Sharding
    const campaigns = yield* Effect.provideService(CampaignEntity.client, Sharding.Sharding, sharding)
    const fresh = (tenantId: Parameters<typeof configs.get>[0]) =>
      Effect.zipRight(configs.invalidate(tenantId), configs.get(tenantId).pipe(Effect.orDie))

    /** A cadence as given, checked against the tenant's statuses (`self` may be its own final status). */
    const checkedCadence = (config: TenantConfig, input: unknown, self: LeadStatusId | null) => {
      const cadence = validateCadence(input)
      if (Either.isLeft(cadence)) {
        const { field, value, message } = cadence.left
        return Either.left(new ValidationError({ field: `cadence.${field}`, value, message: `cadence.${message}` }))
      }
      const finalId = cadence.right.finalStatusId
      if (!config.statuses.has(finalId) && finalId !== self) {
        return Either.left(invalid("cadence.finalStatusId", finalId, "is not a status of this tenant"))
      }
      return Either.right(cadence.right)
    }
    const statusView = (tenantId: TenantId, id: LeadStatusId) =>
      Effect.gen(function* () {
        const config = yield* fresh(tenantId)
        const rows = yield* listStatusRows(tenantId).pipe(Effect.orDie)
        const view = statusViews(config, rows).find((v) => v.id === id)
        if (view === undefined) return yield* Effect.dieMessage(`status ${id} vanished`)
        return view
      })
    return handlers
      .handle("leadTypes", () =>
        Effect.gen(function* () {
          const user = yield* requireReader
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          return Array.from(config.leadTypes.values())
        }),
      )
      .handle("setPriorityZero", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
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
      .handle("createLeadType", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const name = nameOf(payload.name, null)
          if (Either.isLeft(name)) return yield* name.left
          if (payload.initialStatusId === undefined) return yield* invalid("initialStatusId", "", "is required")
          const initial = LeadStatusId.make(payload.initialStatusId)
          if (!config.statuses.has(initial)) {
            return yield* invalid("initialStatusId", initial, "is not a status of this tenant")
          }
          if (Array.from(config.leadTypes.values()).some((t) => t.name === name.right)) {
            return yield* taken("lead type", name.right)
          }
          const id = newId(LeadTypeId)
          yield* insertLeadType({
            tenantId: user.tenantId,
            id,
            name: name.right,
            initialStatusId: initial,
            priorityZero: payload.priorityZero ?? false,
          }).pipe(Effect.orDie)
          const created = (yield* fresh(user.tenantId)).leadTypes.get(id)
          if (created === undefined) return yield* Effect.dieMessage(`lead type ${id} vanished`)
          return created
        }),
      )
      .handle("updateLeadType", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const current = config.leadTypes.get(path.leadTypeId)
          if (current === undefined) return yield* notFound("leadType", path.leadTypeId)
          const name = nameOf(payload.name, current.name)
          if (Either.isLeft(name)) return yield* name.left
          const initial =
            payload.initialStatusId === undefined ? current.initialStatusId : LeadStatusId.make(payload.initialStatusId)
          if (!config.statuses.has(initial)) {
            return yield* invalid("initialStatusId", initial, "is not a status of this tenant")
          }
          if (Array.from(config.leadTypes.values()).some((t) => t.name === name.right && t.id !== current.id)) {
            return yield* taken("lead type", name.right)
          }
          yield* updateLeadType({
            tenantId: user.tenantId,
            id: current.id,
            name: name.right,
            initialStatusId: initial,
          }).pipe(Effect.orDie)
          if (payload.priorityZero !== undefined && payload.priorityZero !== current.priorityZero) {
            yield* changePriorityZero({
              tenantId: user.tenantId,
              leadTypeId: current.id,
              priorityZero: payload.priorityZero,
            }).pipe(Effect.orDie)
          }
          const updated = (yield* fresh(user.tenantId)).leadTypes.get(current.id)
          if (updated === undefined) return yield* notFound("leadType", current.id)
          return updated
        }),
      )
      .handle("statuses", () =>
        Effect.gen(function* () {
          const user = yield* requireReader
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          return statusViews(config, yield* listStatusRows(user.tenantId).pipe(Effect.orDie))
        }),
      )
      .handle("createStatus", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const name = nameOf(payload.name, null)
          if (Either.isLeft(name)) return yield* name.left
          if (Array.from(config.statuses.values()).some((st) => st.name === name.right)) {
            return yield* taken("status", name.right)
          }
          const id = newId(LeadStatusId)
          const terminal = payload.terminal ?? false
          let cadence: Cadence | null = null
          if (payload.cadence !== undefined && payload.cadence !== null) {
            if (terminal) return yield* invalid("terminal", "true", "a terminal status cannot have a cadence")
            const checked = checkedCadence(config, payload.cadence, id)
            if (Either.isLeft(checked)) return yield* checked.left
            cadence = checked.right
          }
          yield* sql
            .withTransaction(
              Effect.gen(function* () {
                yield* insertStatus({ tenantId: user.tenantId, id, name: name.right, terminal })
                if (cadence !== null) yield* upsertCadence(user.tenantId, id, cadence)
              }),
            )
            .pipe(Effect.orDie)
          return yield* statusView(user.tenantId, id)
        }),
      )
      .handle("updateStatus", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const rows = yield* listStatusRows(user.tenantId).pipe(Effect.orDie)
          const current = rows.find((r) => r.id === path.statusId)
          if (current === undefined) return yield* notFound("status", path.statusId)
          const name = nameOf(payload.name, current.name)
          if (Either.isLeft(name)) return yield* name.left
          if (rows.some((r) => r.name === name.right && r.id !== current.id)) return yield* taken("status", name.right)
          const terminal = payload.terminal ?? current.terminal
          let cadence: Cadence | null | undefined = undefined
          if (payload.cadence === null) cadence = null
          else if (payload.cadence !== undefined) {
            const checked = checkedCadence(config, payload.cadence, current.id)
            if (Either.isLeft(checked)) return yield* checked.left
            cadence = checked.right
          }
          const hasCadence = cadence === undefined ? config.cadences.has(current.id) : cadence !== null
          if (terminal && hasCadence) {
            return yield* invalid("terminal", "true", "a terminal status cannot have a cadence (set cadence to null)")
          }
          yield* updateStatus({ tenantId: user.tenantId, id: current.id, name: name.right, terminal }).pipe(
            Effect.orDie,
          )
          if (cadence === null) {
            const removed = yield* deleteCadence(user.tenantId, current.id).pipe(Effect.orDie)
            yield* configs.invalidate(user.tenantId)
            // its waiting leads stop being dialled, its queued ones take the lowest priority
            if (removed) yield* refreshStatusLeads({ tenantId: user.tenantId, statusId: current.id }).pipe(Effect.orDie)
          } else if (cadence !== undefined) {
            yield* changeCadence({ tenantId: user.tenantId, statusId: current.id, cadence }).pipe(Effect.orDie)
          }
          return yield* statusView(user.tenantId, current.id)
        }),
      )
      .handle("cadences", () =>
        Effect.gen(function* () {
          const user = yield* requireReader
          return cadenceViews(yield* configs.get(user.tenantId).pipe(Effect.orDie))
        }),
      )
      .handle("setCadence", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
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
          const user = yield* requireReader
          return (yield* configs.get(user.tenantId).pipe(Effect.orDie)).settings
        }),
      )
      .handle("updateSettings", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
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
          const user = yield* requireConfigurer
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
          const user = yield* requireReader
          const limit = Math.max(1, Math.min(500, Math.floor(urlParams.limit ?? 50)))
          return yield* listAlerts(user.tenantId, limit).pipe(
            Effect.orDie,
            Effect.provideService(SqlClient.SqlClient, sql),
          )
        }),
      )
  }),
)

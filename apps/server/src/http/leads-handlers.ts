import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { CampaignId, LeadId, LeadTypeId, newId, parsePhone } from "@ringmaster/domain"
import { CurrentUser, LeadEntity, notFound, RingmasterApi, ValidationError } from "@ringmaster/protocol"
import { TenantConfigs, viewOfLead } from "@ringmaster/runtime"
import { findTenantCampaign, findTenantLead, insertLead, leadHistory, listLeads } from "@ringmaster/store"
import { Clock, Effect, Either, Option } from "effect"
import { requireRole } from "./roles.js"

const invalid = (field: string, value: string, why: string) =>
  new ValidationError({ field, value, message: `${field}: "${value}" ${why}` })

const decodeCursor = (cursor: string | undefined) => {
  if (cursor === undefined || cursor === "") return Either.right(null)
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|")
  const createdAt = Number(at)
  return id !== undefined && Number.isSafeInteger(createdAt)
    ? Either.right({ createdAt, id })
    : Either.left(invalid("cursor", cursor, "is not a cursor this API returned"))
}

export const LeadsHandlers = HttpApiBuilder.group(RingmasterApi, "leads", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const configs = yield* TenantConfigs
    const sharding = yield* Sharding.Sharding
    const leads = yield* Effect.provideService(LeadEntity.client, Sharding.Sharding, sharding)
    return handlers
      .handle("create", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor")
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const name = payload.name.trim()
          if (name === "") return yield* invalid("name", payload.name, "must not be empty")
          if (name.length > 200) return yield* invalid("name", payload.name, "is longer than 200 characters")
          const phone = parsePhone(payload.phone, config.region, "phone")
          if (Either.isLeft(phone)) {
            return yield* new ValidationError({ field: "phone", value: payload.phone, message: phone.left.message })
          }
          const email = payload.email?.trim() ?? null
          if (email !== null && email !== "" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
            return yield* invalid("email", email, "is not an email address")
          }
          const campaign = yield* findTenantCampaign(user.tenantId, payload.campaignId).pipe(Effect.orDie)
          if (Option.isNone(campaign)) return yield* notFound("campaign", payload.campaignId)
          const leadType = config.leadTypes.get(LeadTypeId.make(payload.leadTypeId))
          if (leadType === undefined) return yield* notFound("leadType", payload.leadTypeId)
          const now = yield* Clock.currentTimeMillis
          const id = newId(LeadId)
          yield* sql
            .withTransaction(
              insertLead({
                id,
                tenantId: user.tenantId,
                campaignId: CampaignId.make(campaign.value.id),
                leadTypeId: leadType.id,
                statusId: leadType.initialStatusId,
                name,
                phone: phone.right,
                email: email === "" ? null : email,
                notes: payload.notes ?? "",
                now,
              }),
            )
            .pipe(Effect.orDie)
          yield* leads(id).Admit({ leadId: id }).pipe(Effect.orDie)
          const stored = yield* findTenantLead(user.tenantId, id).pipe(Effect.orDie)
          if (Option.isNone(stored)) return yield* Effect.dieMessage(`lead ${id} vanished after insert`)
          return viewOfLead(stored.value, config)
        }),
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const lead = yield* findTenantLead(user.tenantId, path.leadId).pipe(Effect.orDie)
          if (Option.isNone(lead)) return yield* notFound("lead", path.leadId)
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const history = yield* leadHistory(lead.value.id).pipe(Effect.orDie)
          return { ...viewOfLead(lead.value, config), history }
        }),
      )
      .handle("list", ({ urlParams }) =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const limit = urlParams.limit ?? 50
          if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
            return yield* invalid("limit", String(urlParams.limit), "must be an integer from 1 to 500")
          }
          const after = decodeCursor(urlParams.cursor)
          if (Either.isLeft(after)) return yield* after.left
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const rows = yield* listLeads({
            tenantId: user.tenantId,
            campaignId: urlParams.campaignId === undefined ? null : CampaignId.make(urlParams.campaignId),
            limit,
            after: after.right,
          }).pipe(Effect.orDie)
          const last = rows.at(-1)
          return {
            items: rows.map((r) => viewOfLead(r, config)),
            nextCursor:
              rows.length === limit && last !== undefined
                ? Buffer.from(`${last.createdAt}|${last.id}`).toString("base64url")
                : null,
          }
        }),
      )
  }),
)

import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import {
  AgentId,
  CampaignId,
  LeadId,
  LeadStatusId,
  LeadTypeId,
  newId,
  parsePhone,
  rescheduleLead,
} from "@ringmaster/domain"
import {
  BULK_LEADS_MAX,
  BulkValidationError,
  CampaignEntity,
  Conflict,
  CurrentUser,
  LeadEntity,
  LeadStage,
  Forbidden,
  notFound,
  RingmasterApi,
} from "@ringmaster/protocol"
import { admitNewLead, TenantConfigs, viewOfLead } from "@ringmaster/runtime"
import {
  appendLeadEvent,
  findAgent,
  findTenantCampaign,
  findTenantLead,
  insertLead,
  insertLeads,
  findTenantLeadWithHistory,
  type LeadRow,
  type TenantConfig,
  listCampaigns,
  listLeads,
  searchLeads,
  updateLeadDetails,
  updateLeadProgress,
  type NewLead,
} from "@ringmaster/store"
import { Clock, Effect, Either, Option, Schema } from "effect"
import { epochParam, fromIssue, intParam, invalid } from "./input.js"
import { checkEmail, checkName, checkNewLead, checkNotes, checkPhone, checkTimeZone, isIssue } from "./lead-input.js"
import { requireConfigurer, requireLeadReader, requireReader } from "./roles.js"

const decodeCursor = (cursor: string | undefined) => {
  if (cursor === undefined || cursor === "") return Either.right(null)
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|")
  const createdAt = Number(at)
  return id !== undefined && Number.isSafeInteger(createdAt)
    ? Either.right({ createdAt, id })
    : Either.left(invalid("cursor", cursor, "is not a cursor this API returned"))
}

const isStage = Schema.is(LeadStage)

class LeadBusy extends Schema.TaggedError<LeadBusy>()("LeadBusy", { stage: Schema.String }) {}

export const LeadsHandlers = HttpApiBuilder.group(RingmasterApi, "leads", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const configs = yield* TenantConfigs
    const sharding = yield* Sharding.Sharding
    const leads = yield* Effect.provideService(LeadEntity.client, Sharding.Sharding, sharding)
    const campaigns = yield* Effect.provideService(CampaignEntity.client, Sharding.Sharding, sharding)
    /** A lead just written, admitted: its view as the admission left it (read again when it did not say). */
    const admitted = (lead: LeadRow, config: TenantConfig) =>
      Effect.gen(function* () {
        const made = yield* admitNewLead(leads, lead.id)
        if (made !== null) return viewOfLead({ ...lead, ...made }, config)
        const stored = yield* findTenantLead(lead.tenantId, lead.id).pipe(Effect.orDie)
        if (Option.isNone(stored)) return yield* Effect.dieMessage(`lead ${lead.id} vanished after insert`)
        return viewOfLead(stored.value, config)
      })
    return handlers
      .handle("create", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          // The campaign is checked as the lead is written, in one statement; when the lead type is bad as well, the
          // campaign is named first.
          const checked = checkNewLead(payload, {
            region: config.region,
            campaignIds: null,
            leadTypes: config.leadTypes,
          })
          const first = checked.issues.find((i) => i.field !== "leadTypeId")
          if (first !== undefined) return yield* fromIssue(first)
          if (checked.lead === null) {
            const campaign = yield* findTenantCampaign(user.tenantId, payload.campaignId).pipe(Effect.orDie)
            if (Option.isNone(campaign)) return yield* notFound("campaign", payload.campaignId)
            return yield* notFound("leadType", payload.leadTypeId)
          }
          const now = yield* Clock.currentTimeMillis
          const id = newId(LeadId)
          const inserted = yield* insertLead({ id, tenantId: user.tenantId, ...checked.lead, now }).pipe(Effect.orDie)
          if (Option.isNone(inserted)) return yield* notFound("campaign", payload.campaignId)
          return yield* admitted(inserted.value, config)
        }),
      )
      .handle("bulkCreate", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const count = payload.leads.length
          if (count < 1 || count > BULK_LEADS_MAX) {
            return yield* invalid("leads", String(count), `must hold 1 to ${BULK_LEADS_MAX} leads (it holds ${count})`)
          }
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const owned = yield* listCampaigns(user.tenantId).pipe(Effect.orDie)
          const tenant = {
            region: config.region,
            campaignIds: new Set<string>(owned.map((c) => c.id)),
            leadTypes: config.leadTypes,
          }
          const now = yield* Clock.currentTimeMillis
          const rows: Array<NewLead> = []
          const errors: Array<{ row: number; field: string; value: string; message: string }> = []
          payload.leads.forEach((input, row) => {
            const checked = checkNewLead(input, tenant)
            for (const i of checked.issues) errors.push({ row, ...i })
            // Each row a millisecond apart keeps the request's order in the list's (created_at, id) order.
            if (checked.lead !== null)
              rows.push({ id: newId(LeadId), tenantId: user.tenantId, ...checked.lead, now: now + row })
          })
          if (errors.length > 0) {
            const bad = new Set(errors.map((e) => e.row)).size
            return yield* new BulkValidationError({
              message: `${bad} of ${count} rows are invalid; no lead was created`,
              errors,
            })
          }
          const written = new Map(
            (yield* sql.withTransaction(insertLeads(rows)).pipe(Effect.orDie)).map((l) => [l.id, l]),
          )
          const items = yield* Effect.forEach(
            rows,
            (r) => {
              const lead = written.get(r.id)
              return lead === undefined
                ? Effect.dieMessage(`lead ${r.id} was not written with the others`)
                : admitted(lead, config)
            },
            { concurrency: 16 },
          )
          return { items }
        }),
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const found = yield* findTenantLeadWithHistory(user.tenantId, path.leadId).pipe(Effect.orDie)
          if (Option.isNone(found)) return yield* notFound("lead", path.leadId)
          const { lead, history } = found.value
          yield* requireLeadReader(lead.assignedAgentId)
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          return { ...viewOfLead(lead, config), history }
        }),
      )
      .handle("update", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const found = yield* findTenantLead(user.tenantId, path.leadId).pipe(Effect.orDie)
          if (Option.isNone(found)) return yield* notFound("lead", path.leadId)
          const lead = found.value
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const name = payload.name === undefined ? lead.name : checkName(payload.name)
          const phone = payload.phone === undefined ? lead.phone : checkPhone(payload.phone, config.region)
          const email = payload.email === undefined ? lead.email : checkEmail(payload.email)
          const notes = payload.notes === undefined ? lead.notes : checkNotes(payload.notes)
          const timeZone = payload.timeZone === undefined ? lead.timeZone : checkTimeZone(payload.timeZone)
          if (isIssue(name)) return yield* fromIssue(name)
          if (isIssue(phone)) return yield* fromIssue(phone)
          if (isIssue(email)) return yield* fromIssue(email)
          if (isIssue(notes)) return yield* fromIssue(notes)
          if (isIssue(timeZone)) return yield* fromIssue(timeZone)
          const leadTypeId = payload.leadTypeId === undefined ? lead.leadTypeId : LeadTypeId.make(payload.leadTypeId)
          if (!config.leadTypes.has(leadTypeId)) {
            return yield* invalid("leadTypeId", leadTypeId, "is not a lead type of this tenant")
          }
          const statusId = payload.statusId === undefined ? lead.statusId : LeadStatusId.make(payload.statusId)
          if (!config.statuses.has(statusId)) {
            return yield* invalid("statusId", statusId, "is not a status of this tenant")
          }
          const statusChanged = statusId !== lead.statusId
          const now = yield* Clock.currentTimeMillis
          const changed = Object.entries(payload).flatMap(([k, v]) => (v === undefined ? [] : [k]))
          const plan = rescheduleLead({
            cadence: config.cadences.get(statusId),
            attemptsInStatus: 0,
            lastContactAt: lead.lastContactAt,
            enteredAt: lead.createdAt,
          })
          const nextAttemptAt = plan._tag === "At" ? plan.at : null
          const written = yield* sql
            .withTransaction(
              Effect.gen(function* () {
                yield* updateLeadDetails(
                  user.tenantId,
                  lead.id,
                  { name, phone, email, notes, leadTypeId, timeZone },
                  now,
                )
                if (statusChanged) {
                  const moved = yield* updateLeadProgress(lead.id, ["waiting", "ready", "terminal"], {
                    ...lead,
                    stage: nextAttemptAt === null ? "terminal" : "waiting",
                    statusId,
                    attemptsInStatus: 0,
                    nextAttemptAt,
                    recycledSeq: null,
                    now,
                  })
                  // Rolls the whole edit back: the lead is with an agent, whose outcome will set its status.
                  if (!moved) return yield* new LeadBusy({ stage: lead.stage })
                }
                yield* appendLeadEvent(user.tenantId, lead.id, now, "edited", {
                  by: user.userId,
                  fields: changed,
                  ...(statusChanged
                    ? {
                        fromStatus: config.statuses.get(lead.statusId)?.name ?? lead.statusId,
                        toStatus: config.statuses.get(statusId)?.name ?? statusId,
                      }
                    : {}),
                })
              }),
            )
            .pipe(
              Effect.map(() => true),
              Effect.catchTag("LeadBusy", () => Effect.succeed(false)),
              Effect.orDie,
            )
          if (!written) {
            const current = yield* findTenantLead(user.tenantId, lead.id).pipe(Effect.orDie)
            const stage = Option.match(current, { onNone: () => lead.stage, onSome: (l) => l.stage })
            return yield* new Conflict({
              code: "lead-busy",
              message: `statusId: the lead is ${stage.replace("_", " ")}; its status changes with the outcome of its call`,
            })
          }
          // The distributor holds what orders a queued lead (type, status priority): have it re-placed.
          if (statusChanged || leadTypeId !== lead.leadTypeId) {
            if (statusChanged && lead.stage === "ready") {
              yield* campaigns(lead.campaignId).Dequeue({ leadId: lead.id }).pipe(Effect.orDie)
            }
            yield* leads(lead.id).Refresh().pipe(Effect.orDie)
          }
          const stored = yield* findTenantLead(user.tenantId, lead.id).pipe(Effect.orDie)
          if (Option.isNone(stored)) return yield* notFound("lead", lead.id)
          return viewOfLead(stored.value, config)
        }),
      )
      .handle("list", ({ urlParams }) =>
        Effect.gen(function* () {
          const user = yield* requireReader
          const limit = yield* intParam("limit", urlParams.limit, { min: 1, max: 500, fallback: 50 })
          const after = decodeCursor(urlParams.cursor)
          if (Either.isLeft(after)) return yield* after.left
          const stage = urlParams.stage
          if (stage !== undefined && !isStage(stage)) {
            return yield* invalid("stage", stage, "is not one of ready, waiting, offered, in_call, wrap_up, terminal")
          }
          const createdFrom = yield* epochParam("createdFrom", urlParams.createdFrom)
          const createdTo = yield* epochParam("createdTo", urlParams.createdTo)
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const rows = yield* listLeads({
            tenantId: user.tenantId,
            campaignId: urlParams.campaignId === undefined ? null : CampaignId.make(urlParams.campaignId),
            leadTypeId: urlParams.leadTypeId === undefined ? null : LeadTypeId.make(urlParams.leadTypeId),
            statusId: urlParams.statusId === undefined ? null : LeadStatusId.make(urlParams.statusId),
            stage: stage ?? null,
            assignedAgentId: urlParams.assignedAgentId === undefined ? null : AgentId.make(urlParams.assignedAgentId),
            createdFrom,
            createdTo,
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
      .handle("search", ({ urlParams }) =>
        Effect.gen(function* () {
          // An agent looks up a lead to dial by hand: only among the leads of its own campaign.
          const user = yield* Effect.flatMap(CurrentUser, (u) =>
            u.role === "agent" ? Effect.succeed(u) : requireReader,
          )
          const agentCampaign =
            user.role === "agent" && user.agentId !== null
              ? Option.match(yield* findAgent(user.agentId).pipe(Effect.orDie), {
                  onNone: () => null,
                  onSome: (a) => a.campaignId,
                })
              : null
          if (user.role === "agent" && agentCampaign === null) {
            return yield* new Forbidden({ message: "an agent outside a campaign has no leads to search" })
          }
          const limit = yield* intParam("limit", urlParams.limit, { min: 1, max: 200, fallback: 20 })
          const text = urlParams.q.trim()
          if (text.length < 2) return yield* invalid("q", urlParams.q, "must hold at least 2 characters")
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const phone = parsePhone(text, config.region, "q")
          const rows = yield* searchLeads({
            tenantId: user.tenantId,
            text,
            phone: Either.getOrNull(phone),
            limit,
            campaignId: agentCampaign,
          }).pipe(Effect.orDie)
          return rows.map((r) => viewOfLead(r, config))
        }),
      )
  }),
)

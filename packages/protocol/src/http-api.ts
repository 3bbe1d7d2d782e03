import { HttpApi, HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import {
  AgentId,
  AgentState,
  CampaignId,
  DialBlockReason,
  LeadId,
  LeadStatusId,
  LeadTypeId,
  StateRule,
  TenantSettings,
} from "@ringmaster/domain"
import { Schema } from "effect"
import { LegEndpoint } from "./agent-leg.js"
import { AuthGroup, TenantsGroup, UsersGroup } from "./api/auth-api.js"
import { CallbacksGroup } from "./api/callbacks-api.js"
import { ReportsGroup } from "./api/reports-api.js"
import { StatsGroup } from "./api/stats-api.js"
import { Authentication } from "./auth.js"
import { CommandRefused, Conflict, Forbidden, NotFound, ServiceUnavailable, ValidationError } from "./errors.js"
import {
  AgentView,
  AlertView,
  BlacklistEntryView,
  BulkValidationError,
  CadenceView,
  CampaignView,
  DispositionView,
  LeadDetail,
  LeadStatusView,
  LeadTypeView,
  LeadView,
  QueueItemView,
} from "./models.js"
import { everyIssue } from "./every-issue.js"

export const Health = Schema.Struct({
  status: Schema.Literal("ok", "degraded"),
  database: Schema.Struct({ ok: Schema.Boolean, mode: Schema.String, latencyMs: Schema.Number }),
  cluster: Schema.Struct({ ok: Schema.Boolean, mode: Schema.String, detail: Schema.String }),
  carrier: Schema.String,
})

export class HealthGroup extends HttpApiGroup.make("health")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Health).addError(ServiceUnavailable))
  .annotate(OpenApi.Description, "Liveness and readiness: database and cluster status. Needs no token.") {}

export const CreateLead = Schema.Struct({
  name: Schema.String.annotations({ description: "Full name of the person to contact" }),
  phone: Schema.String.annotations({ description: "Phone number in any common format; stored in E.164" }),
  leadTypeId: Schema.String,
  campaignId: Schema.String,
  email: Schema.optional(Schema.NullOr(Schema.String)),
  notes: Schema.optional(Schema.String),
})
export type CreateLead = typeof CreateLead.Type

export const LeadPage = Schema.Struct({ items: Schema.Array(LeadView), nextCursor: Schema.NullOr(Schema.String) })

/** The most leads one bulk request may create. */
export const BULK_LEADS_MAX = 1_000

export const BulkCreateLeads = Schema.Struct({
  leads: Schema.Array(CreateLead).annotations({ description: `1 to ${BULK_LEADS_MAX} leads, created all or none` }),
})

export const UpdateLead = Schema.Struct({
  name: Schema.optional(Schema.String),
  phone: Schema.optional(Schema.String).annotations({ description: "Any common format; stored in E.164" }),
  email: Schema.optional(Schema.NullOr(Schema.String)),
  notes: Schema.optional(Schema.String),
  leadTypeId: Schema.optional(Schema.String),
  statusId: Schema.optional(Schema.String).annotations({
    description:
      "Moves the lead to this status as an outcome would (attempts in status restart, next attempt after the " +
      "status's first delay); only while the lead is not offered or in a call",
  }),
  timeZone: Schema.optional(Schema.NullOr(Schema.String)).annotations({
    description: 'IANA time zone for calling hours ("America/Chicago"); null: from the number',
  }),
})
export type UpdateLead = typeof UpdateLead.Type

export const LeadListParams = Schema.Struct({
  campaignId: Schema.optional(Schema.String),
  leadTypeId: Schema.optional(Schema.String),
  statusId: Schema.optional(Schema.String),
  stage: Schema.optional(Schema.String).annotations({
    description: "ready, waiting, offered, in_call, wrap_up or terminal",
  }),
  assignedAgentId: Schema.optional(Schema.String),
  createdFrom: Schema.optional(Schema.String).annotations({ description: "Created at or after (epoch ms)" }),
  createdTo: Schema.optional(Schema.String).annotations({ description: "Created before (epoch ms)" }),
  limit: Schema.optional(Schema.String).annotations({ description: "1 to 500, default 50" }),
  cursor: Schema.optional(Schema.String).annotations({ description: "nextCursor of the previous page" }),
})

export class LeadsGroup extends HttpApiGroup.make("leads")
  .add(
    HttpApiEndpoint.post("create", "/leads")
      .setPayload(everyIssue(CreateLead))
      .addSuccess(LeadView, { status: 201 })
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.post("bulkCreate", "/leads/bulk")
      .setPayload(everyIssue(BulkCreateLeads))
      .addSuccess(Schema.Struct({ items: Schema.Array(LeadView) }), { status: 201 })
      .addError(BulkValidationError)
      .addError(ValidationError)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Creates every lead or none: a refused row refuses the request, listing each bad row with its field and value.",
      ),
  )
  .add(
    HttpApiEndpoint.get("search", "/leads/search")
      .setUrlParams(
        Schema.Struct({
          q: Schema.String.annotations({ description: "Part of a name or email, or a phone number in any format" }),
          limit: Schema.optional(Schema.String).annotations({ description: "1 to 200, default 20" }),
        }),
      )
      .addSuccess(Schema.Array(LeadView))
      .addError(ValidationError)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Leads whose name or email contains the text (any case), or whose number is the text read as a phone " +
          "number (normalised to E.164 first). Newest first.",
      ),
  )
  .add(
    HttpApiEndpoint.get("get", "/leads/:leadId")
      .setPath(Schema.Struct({ leadId: LeadId }))
      .addSuccess(LeadDetail)
      .addError(NotFound),
  )
  .add(
    HttpApiEndpoint.patch("update", "/leads/:leadId")
      .setPath(Schema.Struct({ leadId: LeadId }))
      .setPayload(everyIssue(UpdateLead))
      .addSuccess(LeadView)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Edits a lead; a queued lead is re-placed at once. A status change while the lead is offered or in a call " +
          "answers 409.",
      ),
  )
  .add(
    HttpApiEndpoint.get("list", "/leads")
      .setUrlParams(LeadListParams)
      .addSuccess(LeadPage)
      .addError(ValidationError)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "The leads matching every filter given, oldest first, a page at a time."),
  )
  .middleware(Authentication)
  .addError(Forbidden) {}

export const CampaignInput = Schema.Struct({
  name: Schema.optional(Schema.String),
  mode: Schema.optional(Schema.String).annotations({ description: "manual (auto-dialer off) or auto; default manual" }),
  dialRatio: Schema.optional(Schema.Union(Schema.Number, Schema.String)).annotations({
    description: '1.5, 2 or 3 dials per available agent, or "adaptive"; default the tenant\'s autoDialRatio',
  }),
  amdMode: Schema.optional(Schema.String).annotations({
    description: "disabled, detect or detect_beep; default detect",
  }),
  maxLines: Schema.optional(Schema.Number).annotations({ description: "1 to 1000 lines at once; default 100" }),
  amdNotSure: Schema.optional(Schema.String).annotations({
    description: 'What AMD\'s "not sure" counts as: human (connect to an agent) or machine; default human',
  }),
  machineMessage: Schema.optional(Schema.NullOr(Schema.String)).annotations({
    description: "Left on an answering machine after its greeting (up to 3000 characters); null: just hang up",
  }),
  abandonMessage: Schema.optional(Schema.String).annotations({
    description: "Played to a person no agent could take within 2 s, before the call ends (1 to 3000 characters)",
  }),
  callerId: Schema.optional(Schema.String).annotations({ description: "The number dials show; stored in E.164" }),
})
export type CampaignInput = typeof CampaignInput.Type

const campaignPath = Schema.Struct({ campaignId: CampaignId })

export class CampaignsGroup extends HttpApiGroup.make("campaigns")
  .add(HttpApiEndpoint.get("list", "/campaigns").addSuccess(Schema.Array(CampaignView)).addError(Forbidden))
  .add(
    HttpApiEndpoint.get("get", "/campaigns/:campaignId")
      .setPath(campaignPath)
      .addSuccess(CampaignView)
      .addError(NotFound)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.post("create", "/campaigns")
      .setPayload(everyIssue(CampaignInput))
      .addSuccess(CampaignView, { status: 201 })
      .addError(ValidationError)
      .addError(Conflict)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "name and callerId are required. A name already used answers 409."),
  )
  .add(
    HttpApiEndpoint.patch("update", "/campaigns/:campaignId")
      .setPath(campaignPath)
      .setPayload(everyIssue(CampaignInput))
      .addSuccess(CampaignView)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Changes the fields given; the running campaign re-reads them at once."),
  )
  .add(
    HttpApiEndpoint.post("pause", "/campaigns/:campaignId/pause")
      .setPath(campaignPath)
      .addSuccess(CampaignView)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Stops hand-outs and automatic dials; calls under way go on. Idempotent."),
  )
  .add(
    HttpApiEndpoint.post("resume", "/campaigns/:campaignId/resume")
      .setPath(campaignPath)
      .addSuccess(CampaignView)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Hand-outs (and automatic dials, in auto mode) start again. Idempotent."),
  )
  .add(
    HttpApiEndpoint.get("queue", "/campaigns/:campaignId/queue")
      .setPath(campaignPath)
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Array(QueueItemView))
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "The first N ready leads (limit 1 to 1000, default 20) in the order they will be handed out, each with the " +
          "rule that placed it: recycled, priority-0, or scheduled (by next attempt and priority). A missed " +
          "inbound caller's lead queued to be called back is placed as recycled, and `callbackSince` says when the " +
          "caller was missed (null once the callback task is done, or for any other lead).",
      ),
  )
  .add(HttpApiEndpoint.get("dispositions", "/dispositions").addSuccess(Schema.Array(DispositionView)))
  .middleware(Authentication)
  .addError(Forbidden) {}

export const AgentDetailView = Schema.Struct({
  ...AgentView.fields,
  legEndpoint: Schema.NullOr(LegEndpoint).annotations({
    description:
      "Where the agent's own audio leg is dialled when it goes Online in a campaign whose auto-dialer is on: an E.164 " +
      "number or a SIP URI; null: the agent works without a leg",
  }),
})
export type AgentDetailView = typeof AgentDetailView.Type

export const SetLegEndpoint = Schema.Struct({
  legEndpoint: Schema.NullOr(Schema.String).annotations({
    description:
      "A phone number in any common format (the tenant's region when it has no country code; stored in E.164), a " +
      'SIP URI ("sip:user@host", no spaces, at most 255 characters), or null to clear it',
  }),
})

const agentPath = Schema.Struct({ agentId: AgentId })

export class AgentsGroup extends HttpApiGroup.make("agents")
  .add(HttpApiEndpoint.get("list", "/agents").addSuccess(Schema.Array(AgentDetailView)).addError(Forbidden))
  .add(
    HttpApiEndpoint.get("get", "/agents/:agentId")
      .setPath(agentPath)
      .addSuccess(AgentDetailView)
      .addError(NotFound)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.put("setState", "/agents/:agentId/state")
      .setPath(agentPath)
      .setPayload(everyIssue(Schema.Struct({ state: AgentState })))
      .addSuccess(AgentDetailView)
      .addError(NotFound)
      .addError(Forbidden)
      .addError(CommandRefused),
  )
  .add(
    HttpApiEndpoint.put("setLegEndpoint", "/agents/:agentId/leg-endpoint")
      .setPath(agentPath)
      .setPayload(everyIssue(SetLegEndpoint))
      .addSuccess(AgentDetailView)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Sets (or, with null, clears) where the agent's own leg is dialled. Admins, supervisors and managers. An " +
          "agent logged in at the time keeps the leg it has: nothing else is needed, its next Online dials the new " +
          "endpoint.",
      ),
  )
  .middleware(Authentication)
  .addError(Forbidden) {}

export const CadenceInput = Schema.Struct({
  delaysMs: Schema.Array(Schema.Number).annotations({ description: "Delays between attempts, in milliseconds" }),
  priority: Schema.Number.annotations({ description: "1 is the most urgent" }),
  finalStatusId: Schema.String,
  maxAttempts: Schema.Number,
})

export const LeadTypeInput = Schema.Struct({
  name: Schema.optional(Schema.String),
  initialStatusId: Schema.optional(Schema.String).annotations({ description: "The status new leads start in" }),
  priorityZero: Schema.optional(Schema.Boolean),
})

export const StatusInput = Schema.Struct({
  name: Schema.optional(Schema.String),
  terminal: Schema.optional(Schema.Boolean),
  cadence: Schema.optional(Schema.NullOr(CadenceInput)).annotations({
    description: "The cadence that makes the status dialable; null takes it off (its leads stop being dialled)",
  }),
})

export class ConfigGroup extends HttpApiGroup.make("config")
  .add(HttpApiEndpoint.get("leadTypes", "/lead-types").addSuccess(Schema.Array(LeadTypeView)))
  .add(
    HttpApiEndpoint.post("createLeadType", "/lead-types")
      .setPayload(everyIssue(LeadTypeInput))
      .addSuccess(LeadTypeView, { status: 201 })
      .addError(ValidationError)
      .addError(Conflict)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "name and initialStatusId are required; a name already used answers 409."),
  )
  .add(
    HttpApiEndpoint.patch("updateLeadType", "/lead-types/:leadTypeId")
      .setPath(Schema.Struct({ leadTypeId: LeadTypeId }))
      .setPayload(everyIssue(LeadTypeInput))
      .addSuccess(LeadTypeView)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Renames the type or changes its initial status (priorityZero: use its PUT)."),
  )
  .add(HttpApiEndpoint.get("statuses", "/statuses").addSuccess(Schema.Array(LeadStatusView)).addError(Forbidden))
  .add(
    HttpApiEndpoint.post("createStatus", "/statuses")
      .setPayload(everyIssue(StatusInput))
      .addSuccess(LeadStatusView, { status: 201 })
      .addError(ValidationError)
      .addError(Conflict)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "name is required; a terminal status cannot have a cadence."),
  )
  .add(
    HttpApiEndpoint.patch("updateStatus", "/statuses/:statusId")
      .setPath(Schema.Struct({ statusId: LeadStatusId }))
      .setPayload(everyIssue(StatusInput))
      .addSuccess(LeadStatusView)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Renames, sets terminal, or sets (re-timing its waiting leads) or removes the cadence of a status.",
      ),
  )
  .add(
    HttpApiEndpoint.put("setPriorityZero", "/lead-types/:leadTypeId/priority-zero")
      .setPath(Schema.Struct({ leadTypeId: LeadTypeId }))
      .setPayload(everyIssue(Schema.Struct({ priorityZero: Schema.Boolean })))
      .addSuccess(LeadTypeView)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Every ready lead of this type jumps above all non-recycled leads at once."),
  )
  .add(HttpApiEndpoint.get("cadences", "/cadences").addSuccess(Schema.Array(CadenceView)))
  .add(
    HttpApiEndpoint.put("setCadence", "/cadences/:statusId")
      .setPath(Schema.Struct({ statusId: LeadStatusId }))
      .setPayload(everyIssue(CadenceInput))
      .addSuccess(CadenceView)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Re-times the next attempt of every waiting lead of the status."),
  )
  .add(HttpApiEndpoint.get("settings", "/settings").addSuccess(TenantSettings))
  .add(
    HttpApiEndpoint.patch("updateSettings", "/settings")
      .setPayload(everyIssue(Schema.partial(TenantSettings)))
      .addSuccess(TenantSettings)
      .addError(ValidationError)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.put("setDepletionThreshold", "/campaigns/:campaignId/depletion-alert")
      .setPath(Schema.Struct({ campaignId: CampaignId }))
      .setPayload(everyIssue(Schema.Struct({ threshold: Schema.NullOr(Schema.Number) })))
      .addSuccess(Schema.Struct({ campaignId: CampaignId, threshold: Schema.NullOr(Schema.Number) }))
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Alerts you over the WebSocket when the campaign's ready leads fall below it, and again only once they have " +
          "come back to it plus a tenth (at least one lead): a queue hovering at the threshold alerts once.",
      ),
  )
  .add(
    HttpApiEndpoint.get("alerts", "/alerts")
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.NumberFromString) }))
      .addSuccess(Schema.Array(AlertView))
      .addError(Forbidden),
  )
  .middleware(Authentication)
  .addError(Forbidden) {}

export const DncEntryView = Schema.Struct({
  id: Schema.Number,
  phone: Schema.String,
  leadId: Schema.NullOr(Schema.String),
  source: Schema.String,
  reason: Schema.NullOr(Schema.String),
  createdAt: Schema.Number,
})

export const DialBlockView = Schema.Struct({
  leadId: Schema.NullOr(Schema.String),
  agentId: Schema.NullOr(Schema.String),
  phone: Schema.String,
  reason: DialBlockReason,
  message: Schema.String,
  at: Schema.Number,
})

export class ComplianceGroup extends HttpApiGroup.make("compliance")
  .add(
    HttpApiEndpoint.post("addDnc", "/dnc")
      .setPayload(
        everyIssue(
          Schema.Struct({
            phone: Schema.optional(Schema.String),
            leadId: Schema.optional(Schema.String),
            reason: Schema.optional(Schema.String),
          }),
        ),
      )
      .addSuccess(DncEntryView, { status: 201 })
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Never dial this number (phone), or this lead at any of its numbers (leadId)."),
  )
  .add(
    HttpApiEndpoint.get("listDnc", "/dnc")
      .setUrlParams(
        Schema.Struct({
          phone: Schema.optional(Schema.String).annotations({ description: "Only the entries of this number" }),
          leadId: Schema.optional(Schema.String).annotations({ description: "Only the entries of this lead" }),
          limit: Schema.optional(Schema.String).annotations({ description: "1 to 1000, default 500" }),
        }),
      )
      .addSuccess(Schema.Array(DncEntryView))
      .addError(ValidationError)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "The do-not-call entries, newest first."),
  )
  .add(
    HttpApiEndpoint.del("removeDnc", "/dnc/:entryId")
      .setPath(Schema.Struct({ entryId: Schema.NumberFromString }))
      .addSuccess(DncEntryView)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Takes one entry off the do-not-call list and answers it."),
  )
  .add(
    HttpApiEndpoint.post("addBlacklist", "/blacklist")
      .setPayload(everyIssue(Schema.Struct({ phone: Schema.String, reason: Schema.optional(Schema.String) })))
      .addSuccess(BlacklistEntryView, { status: 201 })
      .addError(ValidationError)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Inbound calls from this number are rejected. Adding it again updates the reason.",
      ),
  )
  .add(
    HttpApiEndpoint.get("listBlacklist", "/blacklist")
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Array(BlacklistEntryView))
      .addError(ValidationError)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.del("removeBlacklist", "/blacklist/:phone")
      .setPath(Schema.Struct({ phone: Schema.String }))
      .addSuccess(BlacklistEntryView)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Takes a number (any format, URL-encoded) off the blacklist and answers the entry.",
      ),
  )
  .add(HttpApiEndpoint.get("stateRules", "/state-rules").addSuccess(Schema.Array(StateRule)))
  .add(
    HttpApiEndpoint.put("setStateRule", "/state-rules/:state")
      .setPath(Schema.Struct({ state: Schema.String }))
      .setPayload(
        everyIssue(
          Schema.Struct({
            startHour: Schema.Number,
            endHour: Schema.Number,
            maxCallsPer24h: Schema.NullOr(Schema.Number),
          }),
        ),
      )
      .addSuccess(StateRule)
      .addError(ValidationError)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.get("dialBlocks", "/dial-blocks")
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.NumberFromString) }))
      .addSuccess(Schema.Array(DialBlockView))
      .addError(Forbidden),
  )
  .middleware(Authentication)
  .addError(Forbidden) {}

export class RingmasterApi extends HttpApi.make("ringmaster")
  .add(HealthGroup)
  .add(LeadsGroup)
  .add(CampaignsGroup)
  .add(AgentsGroup)
  .add(ConfigGroup)
  .add(ComplianceGroup)
  .add(AuthGroup)
  .add(UsersGroup)
  .add(TenantsGroup)
  .add(ReportsGroup)
  .add(StatsGroup)
  .add(CallbacksGroup)
  .annotate(OpenApi.Title, "Ringmaster control plane")
  .annotate(OpenApi.Description, "Lead distribution and dialing: leads, campaigns, agents.") {}

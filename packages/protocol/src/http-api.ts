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
import { Authentication } from "./auth.js"
import { CommandRefused, Forbidden, NotFound, ServiceUnavailable, ValidationError } from "./errors.js"
import {
  AgentView,
  AlertView,
  CadenceView,
  DispositionView,
  LeadDetail,
  LeadTypeView,
  LeadView,
  QueueItem,
} from "./models.js"

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

export class LeadsGroup extends HttpApiGroup.make("leads")
  .add(
    HttpApiEndpoint.post("create", "/leads")
      .setPayload(CreateLead)
      .addSuccess(LeadView, { status: 201 })
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.get("get", "/leads/:leadId")
      .setPath(Schema.Struct({ leadId: LeadId }))
      .addSuccess(LeadDetail)
      .addError(NotFound),
  )
  .add(
    HttpApiEndpoint.get("list", "/leads")
      .setUrlParams(
        Schema.Struct({
          campaignId: Schema.optional(Schema.String),
          limit: Schema.optional(Schema.NumberFromString),
          cursor: Schema.optional(Schema.String),
        }),
      )
      .addSuccess(LeadPage)
      .addError(ValidationError),
  )
  .middleware(Authentication) {}

export class CampaignsGroup extends HttpApiGroup.make("campaigns")
  .add(
    HttpApiEndpoint.get("queue", "/campaigns/:campaignId/queue")
      .setPath(Schema.Struct({ campaignId: CampaignId }))
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.NumberFromString) }))
      .addSuccess(Schema.Array(QueueItem))
      .addError(NotFound)
      .addError(Forbidden),
  )
  .add(HttpApiEndpoint.get("dispositions", "/dispositions").addSuccess(Schema.Array(DispositionView)))
  .middleware(Authentication) {}

export class AgentsGroup extends HttpApiGroup.make("agents")
  .add(HttpApiEndpoint.get("list", "/agents").addSuccess(Schema.Array(AgentView)).addError(Forbidden))
  .add(
    HttpApiEndpoint.get("get", "/agents/:agentId")
      .setPath(Schema.Struct({ agentId: AgentId }))
      .addSuccess(AgentView)
      .addError(NotFound)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.put("setState", "/agents/:agentId/state")
      .setPath(Schema.Struct({ agentId: AgentId }))
      .setPayload(Schema.Struct({ state: AgentState }))
      .addSuccess(AgentView)
      .addError(NotFound)
      .addError(Forbidden)
      .addError(CommandRefused),
  )
  .middleware(Authentication) {}

export const CadenceInput = Schema.Struct({
  delaysMs: Schema.Array(Schema.Number).annotations({ description: "Delays between attempts, in milliseconds" }),
  priority: Schema.Number.annotations({ description: "1 is the most urgent" }),
  finalStatusId: Schema.String,
  maxAttempts: Schema.Number,
})

export class ConfigGroup extends HttpApiGroup.make("config")
  .add(HttpApiEndpoint.get("leadTypes", "/lead-types").addSuccess(Schema.Array(LeadTypeView)))
  .add(
    HttpApiEndpoint.put("setPriorityZero", "/lead-types/:leadTypeId/priority-zero")
      .setPath(Schema.Struct({ leadTypeId: LeadTypeId }))
      .setPayload(Schema.Struct({ priorityZero: Schema.Boolean }))
      .addSuccess(LeadTypeView)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Every ready lead of this type jumps above all non-recycled leads at once."),
  )
  .add(HttpApiEndpoint.get("cadences", "/cadences").addSuccess(Schema.Array(CadenceView)))
  .add(
    HttpApiEndpoint.put("setCadence", "/cadences/:statusId")
      .setPath(Schema.Struct({ statusId: LeadStatusId }))
      .setPayload(CadenceInput)
      .addSuccess(CadenceView)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Re-times the next attempt of every waiting lead of the status."),
  )
  .add(HttpApiEndpoint.get("settings", "/settings").addSuccess(TenantSettings))
  .add(
    HttpApiEndpoint.patch("updateSettings", "/settings")
      .setPayload(Schema.partial(TenantSettings))
      .addSuccess(TenantSettings)
      .addError(ValidationError)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.put("setDepletionThreshold", "/campaigns/:campaignId/depletion-alert")
      .setPath(Schema.Struct({ campaignId: CampaignId }))
      .setPayload(Schema.Struct({ threshold: Schema.NullOr(Schema.Number) }))
      .addSuccess(Schema.Struct({ campaignId: CampaignId, threshold: Schema.NullOr(Schema.Number) }))
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Alerts you over the WebSocket when the campaign's ready leads fall below it."),
  )
  .add(
    HttpApiEndpoint.get("alerts", "/alerts")
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.NumberFromString) }))
      .addSuccess(Schema.Array(AlertView))
      .addError(Forbidden),
  )
  .middleware(Authentication) {}

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
        Schema.Struct({
          phone: Schema.optional(Schema.String),
          leadId: Schema.optional(Schema.String),
          reason: Schema.optional(Schema.String),
        }),
      )
      .addSuccess(DncEntryView, { status: 201 })
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Never dial this number (phone), or this lead at any of its numbers (leadId)."),
  )
  .add(HttpApiEndpoint.get("listDnc", "/dnc").addSuccess(Schema.Array(DncEntryView)))
  .add(
    HttpApiEndpoint.post("addBlacklist", "/blacklist")
      .setPayload(Schema.Struct({ phone: Schema.String, reason: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Struct({ phone: Schema.String }), { status: 201 })
      .addError(ValidationError)
      .addError(Forbidden),
  )
  .add(HttpApiEndpoint.get("stateRules", "/state-rules").addSuccess(Schema.Array(StateRule)))
  .add(
    HttpApiEndpoint.put("setStateRule", "/state-rules/:state")
      .setPath(Schema.Struct({ state: Schema.String }))
      .setPayload(
        Schema.Struct({
          startHour: Schema.Number,
          endHour: Schema.Number,
          maxCallsPer24h: Schema.NullOr(Schema.Number),
        }),
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
  .middleware(Authentication) {}

export class RingmasterApi extends HttpApi.make("ringmaster")
  .add(HealthGroup)
  .add(LeadsGroup)
  .add(CampaignsGroup)
  .add(AgentsGroup)
  .add(ConfigGroup)
  .add(ComplianceGroup)
  .annotate(OpenApi.Title, "Ringmaster control plane")
  .annotate(OpenApi.Description, "Lead distribution and dialing: leads, campaigns, agents.") {}

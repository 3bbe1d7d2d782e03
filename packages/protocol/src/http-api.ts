import { HttpApi, HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { AgentId, AgentState, CampaignId, LeadId } from "@ringmaster/domain"
import { Schema } from "effect"
import { Authentication } from "./auth.js"
import { CommandRefused, Forbidden, NotFound, ServiceUnavailable, ValidationError } from "./errors.js"
import { AgentView, DispositionView, LeadDetail, LeadView, QueueItem } from "./models.js"

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

export class RingmasterApi extends HttpApi.make("ringmaster")
  .add(HealthGroup)
  .add(LeadsGroup)
  .add(CampaignsGroup)
  .add(AgentsGroup)
  .annotate(OpenApi.Title, "Ringmaster control plane")
  .annotate(OpenApi.Description, "Lead distribution and dialing: leads, campaigns, agents.") {}

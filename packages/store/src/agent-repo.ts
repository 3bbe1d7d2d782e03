import { SqlClient } from "@effect/sql"
import { AgentId, AgentState, CallId, CampaignId, LeadId, TenantId } from "@ringmaster/domain"
import type { AgentCall, PendingOffer } from "@ringmaster/protocol"
import { Effect, Option } from "effect"
import { fromJson, toJson } from "./json.js"

export interface AgentRow {
  readonly id: AgentId
  readonly tenantId: TenantId
  readonly name: string
  readonly campaignId: CampaignId | null
  readonly state: AgentState
  readonly stateSince: number
  readonly pendingOffer: PendingOffer | null
  readonly call: AgentCall | null
  readonly workingLeadId: LeadId | null
}

interface RawAgent {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly campaignId: string | null
  readonly state: AgentState
  readonly stateSince: number
  readonly pendingOffer: unknown
  readonly currentCallId: string | null
  readonly callPhase: AgentCall["phase"] | null
  readonly callTo: string | null
  readonly callLeadId?: string | null
  readonly workingLeadId: string | null
}

const toRow = (r: RawAgent): AgentRow => ({
  id: AgentId.make(r.id),
  tenantId: TenantId.make(r.tenantId),
  name: r.name,
  campaignId: r.campaignId === null ? null : CampaignId.make(r.campaignId),
  state: r.state,
  stateSince: r.stateSince,
  pendingOffer: r.pendingOffer === null ? null : fromJson<PendingOffer>(r.pendingOffer),
  call:
    r.currentCallId === null
      ? null
      : {
          callId: CallId.make(r.currentCallId),
          phase: r.callPhase ?? "Dialing",
          to: r.callTo ?? "",
          leadId: r.workingLeadId === null ? null : LeadId.make(r.workingLeadId),
        },
  workingLeadId: r.workingLeadId === null ? null : LeadId.make(r.workingLeadId),
})

export const findAgent = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawAgent>`SELECT * FROM agents WHERE id = ${id}`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

export const findTenantAgent = (tenantId: TenantId, id: string) =>
  Effect.map(
    findAgent(id),
    Option.filter((a) => a.tenantId === tenantId),
  )

export const listAgents = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawAgent>`SELECT * FROM agents WHERE tenant_id = ${tenantId} ORDER BY name, id`
    return rows.map(toRow)
  })

/** Agents of a campaign that the distributor may offer to after a restart. */
export const campaignAgents = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawAgent>`SELECT * FROM agents WHERE campaign_id = ${campaignId}`
    return rows.map(toRow)
  })

export const saveAgent = (agent: AgentRow) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE agents SET state = ${agent.state}, state_since = ${agent.stateSince},
        pending_offer = ${agent.pendingOffer === null ? null : toJson(agent.pendingOffer)}::jsonb,
        current_call_id = ${agent.call?.callId ?? null}, call_phase = ${agent.call?.phase ?? null},
        call_to = ${agent.call?.to ?? null}, working_lead_id = ${agent.workingLeadId}
      WHERE id = ${agent.id}`
  })

import { SqlClient } from "@effect/sql"
import { AgentId, AgentState, CallId, CampaignId, E164, LeadId, TenantId } from "@ringmaster/domain"
import {
  type AgentCall,
  type AgentLegPhase,
  type AgentStateChange,
  LegEndpoint,
  type PendingOffer,
} from "@ringmaster/protocol"
import { Effect, Option, Schema } from "effect"
import { columnList } from "./column-list.js"
import { fromJson, toJson } from "./json.js"

/** An agent's own audio leg (auto-dialer): our call id for it, the carrier's once it is dialled, and where it stands. */
export interface AgentLeg {
  readonly legCallId: CallId
  readonly carrierCallId: string | null
  readonly phase: AgentLegPhase
}

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
  /** Where the agent's leg is dialled; null: the agent has no leg. */
  readonly legEndpoint: LegEndpoint | null
  readonly leg: AgentLeg | null
  /** When the wrap-up ends without an outcome (epoch ms); null once that timer has fired, or out of wrap-up. */
  readonly wrapUpUntil: number | null
  /** When the dropped leg is dialled again (epoch ms); null when the leg is not down. */
  readonly legRetryAt: number | null
}

/** The timers of an agent, named as the Agent entity's messages that they send. */
export type AgentTimer = "OfferTimeout" | "WrapUpTimeout" | "LegRetry"

/** A timer armed on an agent's row: the message it sends, the key its handler checks, and when (epoch ms). */
export interface AgentDeadline {
  readonly timer: AgentTimer
  readonly key: string
  readonly at: number
}

/**
 * When a pending notification times out: at its expiry; an inbound ring 2 s later, because the call withdraws its
 * rings itself and this timer only clears one it could not reach.
 */
export const offerDeadline = (offer: PendingOffer): number =>
  offer.kind === "inbound" ? offer.expiresAt + 2_000 : offer.expiresAt

/** The deadlines an agent's row arms: only those whose handler would act on them (same keys, same states). */
export const agentDeadlines = (a: AgentRow): ReadonlyArray<AgentDeadline> => {
  const out: Array<AgentDeadline> = []
  if (a.pendingOffer !== null) {
    out.push({ timer: "OfferTimeout", key: a.pendingOffer.offerId, at: offerDeadline(a.pendingOffer) })
  }
  if (a.state === "WrapUp" && a.call !== null && a.wrapUpUntil !== null) {
    out.push({ timer: "WrapUpTimeout", key: a.call.callId, at: a.wrapUpUntil })
  }
  if (a.leg?.phase === "Down" && a.legRetryAt !== null) {
    out.push({ timer: "LegRetry", key: a.leg.legCallId, at: a.legRetryAt })
  }
  return out
}

/**
 * The columns of an agent's own state, as a statement of another entity writes them with its own (see
 * `AgentStateChange`): no offer pending, and no deadline for one.
 */
export const agentStateColumns = (sql: SqlClient.SqlClient, change: AgentStateChange) =>
  sql`state = ${change.state}, state_since = ${change.stateSince}, pending_offer = NULL, offer_due_at = NULL,
    wrap_up_until = ${change.wrapUpUntil}, leg_retry_at = ${change.legRetryAt}`

/** The row with the deadlines that no longer apply (out of wrap-up, leg not down) cleared. */
export const withLiveDeadlines = (a: AgentRow): AgentRow => {
  const wrapUpUntil = a.state === "WrapUp" && a.call !== null ? a.wrapUpUntil : null
  const legRetryAt = a.leg?.phase === "Down" ? a.legRetryAt : null
  return wrapUpUntil === a.wrapUpUntil && legRetryAt === a.legRetryAt ? a : { ...a, wrapUpUntil, legRetryAt }
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
  /** The phase on the call's own row (see `agentsWithLiveCall`). */
  readonly liveCallPhase?: string | null
  readonly callTo: string | null
  readonly callLeadId?: string | null
  readonly workingLeadId: string | null
  readonly legEndpoint?: string | null
  readonly legCallId?: string | null
  readonly legCarrierCallId?: string | null
  readonly legPhase?: AgentLegPhase | null
  readonly wrapUpUntil?: number | null
  readonly legRetryAt?: number | null
}

/** The columns of the agents table a `RawAgent` reads (see `column-list.ts`). */
const agentColumnNames = [
  "id",
  "tenant_id",
  "name",
  "campaign_id",
  "state",
  "state_since",
  "pending_offer",
  "current_call_id",
  "call_phase",
  "call_to",
  "working_lead_id",
  "leg_endpoint",
  "leg_call_id",
  "leg_carrier_call_id",
  "leg_phase",
  "wrap_up_until",
  "leg_retry_at",
]

const decodeEndpoint = Schema.decodeUnknownOption(LegEndpoint)
const decodeCallerId = Schema.decodeUnknownOption(E164)

/**
 * Agents with their call's phase as its own row has it: the agent saves a call's progress only when it ends, so a
 * Ringing, Answered or Bridged the Call entity recorded after the agent's last save is read from there.
 */
const agentsWithLiveCall = `SELECT ${columnList(agentColumnNames, "a")}, c.phase AS live_call_phase
  FROM agents a LEFT JOIN calls c ON c.id = a.current_call_id`
const progressPhases: ReadonlySet<string> = new Set<AgentCall["phase"]>(["Ringing", "Answered", "Bridged"])

const callPhaseOf = (r: RawAgent): AgentCall["phase"] => {
  const saved = r.callPhase ?? "Dialing"
  const live = r.liveCallPhase
  return saved !== "Ended" && live != null && progressPhases.has(live) ? (live as AgentCall["phase"]) : saved
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
          phase: callPhaseOf(r),
          to: r.callTo ?? "",
          leadId: r.workingLeadId === null ? null : LeadId.make(r.workingLeadId),
        },
  workingLeadId: r.workingLeadId === null ? null : LeadId.make(r.workingLeadId),
  legEndpoint: r.legEndpoint == null ? null : Option.getOrNull(decodeEndpoint(r.legEndpoint)),
  leg:
    r.legCallId == null || r.legPhase == null
      ? null
      : { legCallId: CallId.make(r.legCallId), carrierCallId: r.legCarrierCallId ?? null, phase: r.legPhase },
  wrapUpUntil: r.wrapUpUntil ?? null,
  legRetryAt: r.legRetryAt ?? null,
})

export const findAgent = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawAgent>`${sql.literal(agentsWithLiveCall)} WHERE a.id = ${id}`
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
    const rows = yield* sql<RawAgent>`${sql.literal(agentsWithLiveCall)}
      WHERE a.tenant_id = ${tenantId} ORDER BY a.name, a.id`
    return rows.map(toRow)
  })

/** The agents of a tenant whose pending notification is `offerId` (an inbound call ringing them, say). */
export const agentsShowingOffer = (tenantId: TenantId, offerId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM agents
      WHERE tenant_id = ${tenantId} AND pending_offer->>'offerId' = ${offerId}`
    return rows.map((r) => AgentId.make(r.id))
  })

/** Agents of a campaign that the distributor may offer to after a restart. */
export const campaignAgents = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawAgent>`${sql.literal(agentsWithLiveCall)} WHERE a.campaign_id = ${campaignId}`
    return rows.map(toRow)
  })

/** The lead of a call that just ended, moved from `in_call` to `wrap_up` with the agent's save. */
export interface LeadToWrapUp {
  readonly leadId: LeadId
  readonly at: number
}

/**
 * Saves the agent with its deadlines (those that no longer apply are cleared); with `wrapUp`, the same statement
 * moves that lead to `wrap_up` if it is still `in_call`, so the agent and its lead change together.
 */
export const saveAgent = (row: AgentRow, wrapUp?: LeadToWrapUp) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const agent = withLiveDeadlines(row)
    const lead =
      wrapUp === undefined
        ? sql``
        : sql`WITH wrapped AS (UPDATE leads SET stage = 'wrap_up', updated_at = ${wrapUp.at}
            WHERE id = ${wrapUp.leadId} AND stage = 'in_call') `
    yield* sql`${lead}UPDATE agents SET state = ${agent.state}, state_since = ${agent.stateSince},
        pending_offer = ${agent.pendingOffer === null ? null : toJson(agent.pendingOffer)}::jsonb,
        current_call_id = ${agent.call?.callId ?? null}, call_phase = ${agent.call?.phase ?? null},
        call_to = ${agent.call?.to ?? null}, working_lead_id = ${agent.workingLeadId},
        leg_call_id = ${agent.leg?.legCallId ?? null}, leg_carrier_call_id = ${agent.leg?.carrierCallId ?? null},
        leg_phase = ${agent.leg?.phase ?? null},
        offer_due_at = ${agent.pendingOffer === null ? null : offerDeadline(agent.pendingOffer)},
        wrap_up_until = ${agent.wrapUpUntil}, leg_retry_at = ${agent.legRetryAt}
      WHERE id = ${agent.id}`
  })

/**
 * Agents of every tenant with a deadline at or before `until` (epoch ms), earliest first, at most `limit`: one range
 * scan of the `due_at` index.
 */
export const agentsDueBy = (until: number, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawAgent>`SELECT ${sql.literal(columnList(agentColumnNames))} FROM agents
      WHERE due_at <= ${until} ORDER BY due_at LIMIT ${limit}`
    return rows.map(toRow)
  })

/**
 * What dialling the agent's own leg needs, read at that moment (a supervisor may have changed the endpoint or the
 * campaign since the entity read its row): the endpoint, whether its campaign's auto-dialer is on, and the caller id.
 */
export const agentLegTarget = (agentId: AgentId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ legEndpoint: string | null; mode: string | null; callerId: string | null }>`
      SELECT a.leg_endpoint, c.mode, c.caller_id FROM agents a LEFT JOIN campaigns c ON c.id = a.campaign_id
      WHERE a.id = ${agentId}`
    const row = rows[0]
    return {
      endpoint: row?.legEndpoint == null ? null : Option.getOrNull(decodeEndpoint(row.legEndpoint)),
      autoDialer: row?.mode === "auto",
      callerId: row?.callerId == null ? null : Option.getOrNull(decodeCallerId(row.callerId)),
    }
  })

/** Sets (or clears) where an agent's leg is dialled; it applies from the next leg dialled. */
export const setAgentLegEndpoint = (agentId: AgentId, endpoint: LegEndpoint | null) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE agents SET leg_endpoint = ${endpoint} WHERE id = ${agentId}`
  })

/** The agent whose current leg has our call id `legCallId`. */
export const findAgentIdByLegCallId = (legCallId: CallId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM agents WHERE leg_call_id = ${legCallId}`
    return Option.map(Option.fromNullable(rows[0]), (r) => AgentId.make(r.id))
  })

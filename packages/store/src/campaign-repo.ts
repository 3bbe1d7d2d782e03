import { SqlClient } from "@effect/sql"
import { AgentId, type AmdMode, CampaignId, E164, TenantId } from "@ringmaster/domain"
import { Effect, Option } from "effect"

export type CampaignMode = "manual" | "auto"
export type CampaignPacing = "preset" | "adaptive"

export interface CampaignRow {
  readonly id: CampaignId
  readonly tenantId: TenantId
  readonly name: string
  /** Auto-dialer off ("manual": agents are offered leads and dial them) or on ("auto"). */
  readonly mode: CampaignMode
  /** Dials per available agent: the preset in force, or the starting ratio when pacing is adaptive. */
  readonly dialRatio: number
  readonly pacing: CampaignPacing
  readonly amdMode: AmdMode
  /** The most lines the auto-dialer may hold open at once for this campaign. */
  readonly maxLines: number
  /** What answering-machine detection's "not sure" counts as. */
  readonly amdNotSure: "human" | "machine"
  /** Left on an answering machine after its greeting; null: hang up. */
  readonly machineMessage: string | null
  /** Played to a person no agent could take within 2 s, before the call ends. */
  readonly abandonMessage: string
  readonly callerId: E164
  readonly paused: boolean
  readonly pausedAt: number | null
  readonly createdAt: number
  readonly updatedAt: number | null
}

interface RawCampaign {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly mode: CampaignMode
  readonly dialRatio: number
  readonly pacing: CampaignPacing
  readonly amdMode: AmdMode
  readonly maxLines: number
  readonly amdNotSure: "human" | "machine"
  readonly machineMessage: string | null
  readonly abandonMessage: string
  readonly callerId: string
  readonly paused: boolean
  readonly pausedAt: number | null
  readonly createdAt: number
  readonly updatedAt: number | null
}

const toRow = (r: RawCampaign): CampaignRow => ({
  ...r,
  id: CampaignId.make(r.id),
  tenantId: TenantId.make(r.tenantId),
  callerId: E164.make(r.callerId),
  dialRatio: Number(r.dialRatio),
})

const columns =
  "id, tenant_id, name, mode, dial_ratio, pacing, amd_mode, max_lines, amd_not_sure, machine_message, abandon_message, " +
  "caller_id, paused, paused_at, created_at, updated_at"

export const findCampaign = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawCampaign>`SELECT ${sql.literal(columns)} FROM campaigns WHERE id = ${id}`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

export const findTenantCampaign = (tenantId: TenantId, id: string) =>
  Effect.map(
    findCampaign(id),
    Option.filter((c) => c.tenantId === tenantId),
  )

export const listCampaigns = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawCampaign>`SELECT ${sql.literal(columns)} FROM campaigns
      WHERE tenant_id = ${tenantId} ORDER BY name, id`
    return rows.map(toRow)
  })

/** The campaign of the tenant with this name, if any (names are unique within a tenant). */
export const findCampaignByName = (tenantId: TenantId, name: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawCampaign>`SELECT ${sql.literal(columns)} FROM campaigns
      WHERE tenant_id = ${tenantId} AND name = ${name}`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

/** A campaign with work waiting, and its agents free in their rows since before the instant asked about. */
export interface CampaignWithIdleWork {
  readonly campaignId: CampaignId
  readonly freeAgentIds: ReadonlyArray<AgentId>
}

/**
 * Campaigns (not paused) with work waiting for them: an agent Online with nothing pending (its leg up, if it works
 * with one), and a ready lead, an offer still open that expired before `before` (its agents never heard of it), or an
 * offer to that agent sent before `sentBefore` and not expired at `now` (on its way to the agent, or lost on it). A
 * running campaign leaves that state at once, by an offer or a dial. Each comes with its agents free since before
 * `before`.
 */
export const campaignsWithIdleWork = (at: {
  readonly before: number
  readonly sentBefore: number
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; agentIds: ReadonlyArray<string> }>`SELECT a.campaign_id AS id,
        coalesce(array_agg(a.id ORDER BY a.id) FILTER (WHERE a.state_since < ${at.before}), '{}') AS agent_ids
      FROM agents a JOIN campaigns c ON c.id = a.campaign_id AND NOT c.paused
      WHERE a.state = 'Online' AND a.pending_offer IS NULL AND (a.leg_phase IS NULL OR a.leg_phase = 'Up')
        AND (EXISTS (SELECT 1 FROM leads l WHERE l.campaign_id = a.campaign_id AND l.stage = 'ready')
          OR EXISTS (SELECT 1 FROM offers o WHERE o.campaign_id = a.campaign_id AND o.state = 'open'
            AND (o.expires_at < ${at.before}
              OR (o.created_at < ${at.sentBefore} AND o.expires_at > ${at.now} AND o.agent_ids ? a.id))))
      GROUP BY a.campaign_id ORDER BY a.campaign_id`
    return rows.map((r): CampaignWithIdleWork => ({
      campaignId: CampaignId.make(r.id),
      freeAgentIds: r.agentIds.map((id) => AgentId.make(id)),
    }))
  })

export interface CampaignSettings {
  readonly name: string
  readonly mode: CampaignMode
  readonly dialRatio: number
  readonly pacing: CampaignPacing
  readonly amdMode: AmdMode
  readonly maxLines: number
  readonly amdNotSure: "human" | "machine"
  readonly machineMessage: string | null
  readonly abandonMessage: string
  readonly callerId: E164
}

export const insertCampaign = (
  input: CampaignSettings & { readonly id: CampaignId; readonly tenantId: TenantId; readonly now: number },
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO campaigns (id, tenant_id, name, mode, dial_ratio, pacing, amd_mode, max_lines, amd_not_sure,
        machine_message, abandon_message, caller_id, paused, created_at, updated_at)
      VALUES (${input.id}, ${input.tenantId}, ${input.name}, ${input.mode}, ${input.dialRatio}, ${input.pacing},
        ${input.amdMode}, ${input.maxLines}, ${input.amdNotSure}, ${input.machineMessage}, ${input.abandonMessage},
        ${input.callerId}, false, ${input.now}, ${input.now})`
  })

/** Replaces the campaign's settings; false when it is not the tenant's. */
export const updateCampaignSettings = (tenantId: TenantId, id: CampaignId, settings: CampaignSettings, now: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`UPDATE campaigns SET name = ${settings.name}, mode = ${settings.mode},
        dial_ratio = ${settings.dialRatio}, pacing = ${settings.pacing}, amd_mode = ${settings.amdMode},
        max_lines = ${settings.maxLines}, amd_not_sure = ${settings.amdNotSure},
        machine_message = ${settings.machineMessage}, abandon_message = ${settings.abandonMessage},
        caller_id = ${settings.callerId}, updated_at = ${now}
      WHERE id = ${id} AND tenant_id = ${tenantId} RETURNING id`
    return rows.length === 1
  })

/** Pauses (hand-outs and automatic dials stop) or resumes the campaign; false when it is not the tenant's. */
export const setCampaignPaused = (tenantId: TenantId, id: CampaignId, paused: boolean, now: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`UPDATE campaigns SET paused = ${paused},
        paused_at = CASE WHEN ${paused}::boolean THEN coalesce(paused_at, ${now}) ELSE NULL END, updated_at = ${now}
      WHERE id = ${id} AND tenant_id = ${tenantId} RETURNING id`
    return rows.length === 1
  })

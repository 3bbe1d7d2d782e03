import { SqlClient } from "@effect/sql"
import { AbandonmentLevel, AgentId, type CallId, type CampaignId } from "@ringmaster/domain"
import { Effect, Schema } from "effect"
import { fromJson } from "./json.js"
import type { StateChange } from "./stats-figures.js"
import { liveAnsweredCondition } from "./live-answered.js"

const count = (value: unknown): number => Number(value ?? 0)

/** The campaign's leads by stage, as the store holds them now. */
export const campaignLeadCounts = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ stage: string; n: number }>`SELECT stage, count(*) AS n FROM leads
      WHERE campaign_id = ${campaignId} GROUP BY stage`
    const of = (stage: string) => count(rows.find((r) => r.stage === stage)?.n)
    return {
      ready: of("ready"),
      waiting: of("waiting"),
      offered: of("offered"),
      inCall: of("in_call"),
      wrapUp: of("wrap_up"),
      terminal: of("terminal"),
    }
  })

/**
 * Speed to lead of the campaign's leads created at or after `since`: for each lead first offered to an agent or
 * first dialled (whichever came first), the milliseconds from its creation; and how many are still untouched.
 */
export const speedToLeadSamples = (campaignId: CampaignId, since: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ waitedMs: number | null }>`
      SELECT least(
          (SELECT min(o.created_at) FROM offers o WHERE o.lead_id = l.id),
          (SELECT min(c.created_at) FROM calls c WHERE c.lead_id = l.id AND c.direction = 'outbound')
        ) - l.created_at AS waited_ms
      FROM leads l WHERE l.campaign_id = ${campaignId} AND l.created_at >= ${since}`
    const touched = rows.flatMap((r) => (r.waitedMs === null ? [] : [Math.max(0, Number(r.waitedMs))]))
    return { samples: touched, untouched: rows.length - touched.length }
  })

const liveAnswered = liveAnsweredCondition()

/** Outbound dials (attempts) and live-answered ones among them (contacts) since `since`. */
export const attemptsAndContacts = (campaignId: CampaignId, since: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ attempts: number; contacts: number }>`SELECT count(*) AS attempts,
        count(*) FILTER (WHERE ${sql.literal(liveAnswered)}) AS contacts
      FROM calls WHERE campaign_id = ${campaignId} AND direction = 'outbound' AND created_at >= ${since}`
    return { attempts: count(row?.attempts), contacts: count(row?.contacts) }
  })

/** Abandoned and live-answered outbound calls of the campaign created at or after `since`. */
export const abandonmentCounts = (campaignId: CampaignId, since: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ abandoned: number; liveAnswered: number }>`SELECT
        count(*) FILTER (WHERE abandoned_at IS NOT NULL) AS abandoned,
        count(*) FILTER (WHERE ${sql.literal(liveAnswered)}) AS live_answered
      FROM calls WHERE campaign_id = ${campaignId} AND direction = 'outbound' AND created_at >= ${since}`
    return { abandoned: count(row?.abandoned), liveAnswered: count(row?.liveAnswered) }
  })

/** Where the campaign's abandonment stood when its supervisors were last told. */
export const campaignAbandonmentLevel = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ level: string }>`SELECT abandonment_level AS level FROM campaigns
      WHERE id = ${campaignId}`
    return Schema.decodeUnknownSync(AbandonmentLevel)(row?.level ?? "ok")
  })

export const saveAbandonmentLevel = (campaignId: CampaignId, level: AbandonmentLevel) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE campaigns SET abandonment_level = ${level} WHERE id = ${campaignId}`
  })

/** The auto-dialer found no agent for a person who answered in time: the call counts as abandoned. */
export const markCallAbandoned = (callId: CallId, at: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE calls SET abandoned_at = coalesce(abandoned_at, ${at}) WHERE id = ${callId}`
  })

/**
 * The state changes of the campaign's agents within [from, to), each agent's list opening with the last change
 * before `from` (the state it was in when the window opened).
 */
export const agentStateChanges = (campaignId: CampaignId, from: number, to: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ agentId: string; state: string; at: number }>`
      SELECT agent_id, state, at FROM (
        SELECT l.agent_id, l.state, l.at, l.id FROM agent_state_log l
          JOIN agents a ON a.id = l.agent_id
          WHERE a.campaign_id = ${campaignId} AND l.at >= ${from} AND l.at < ${to}
        UNION ALL
        (SELECT DISTINCT ON (l.agent_id) l.agent_id, l.state, l.at, l.id FROM agent_state_log l
          JOIN agents a ON a.id = l.agent_id
          WHERE a.campaign_id = ${campaignId} AND l.at < ${from}
          ORDER BY l.agent_id, l.at DESC, l.id DESC)
      ) changes ORDER BY agent_id, at, id`
    const byAgent = new Map<AgentId, Array<StateChange>>()
    for (const r of rows) {
      const id = AgentId.make(r.agentId)
      const list = byAgent.get(id) ?? []
      list.push({ state: r.state, at: Number(r.at) })
      byAgent.set(id, list)
    }
    return byAgent
  })

/**
 * Records one sample of every campaign at `at` (its ready, waiting, offered and in-call leads, and its agents per
 * state). A second sample for the same instant is ignored, so several runners may sample at once.
 */
export const sampleCampaigns = (at: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO campaign_samples (campaign_id, tenant_id, at, ready, waiting, offered, in_call, agents)
      SELECT c.id, c.tenant_id, ${at},
        (SELECT count(*) FROM leads l WHERE l.campaign_id = c.id AND l.stage = 'ready'),
        (SELECT count(*) FROM leads l WHERE l.campaign_id = c.id AND l.stage = 'waiting'),
        (SELECT count(*) FROM leads l WHERE l.campaign_id = c.id AND l.stage = 'offered'),
        (SELECT count(*) FROM leads l WHERE l.campaign_id = c.id AND l.stage IN ('in_call', 'wrap_up')),
        (SELECT coalesce(jsonb_object_agg(s.state, s.n), '{}'::jsonb)
          FROM (SELECT a.state, count(*) AS n FROM agents a WHERE a.campaign_id = c.id GROUP BY a.state) s)
      FROM campaigns c
      ON CONFLICT (campaign_id, at) DO NOTHING`
  })

export interface CampaignSample {
  readonly at: number
  readonly ready: number
  readonly waiting: number
  readonly offered: number
  readonly inCall: number
  readonly agents: Record<string, number>
}

/** The campaign's samples within [from, to), oldest first. */
export const campaignSamples = (campaignId: CampaignId, from: number, to: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      at: number
      ready: number
      waiting: number
      offered: number
      inCall: number
      agents: unknown
    }>`SELECT at, ready, waiting, offered, in_call, agents FROM campaign_samples
      WHERE campaign_id = ${campaignId} AND at >= ${from} AND at < ${to} ORDER BY at`
    return rows.map((r): CampaignSample => ({
      at: Number(r.at),
      ready: count(r.ready),
      waiting: count(r.waiting),
      offered: count(r.offered),
      inCall: count(r.inCall),
      agents: Object.fromEntries(
        Object.entries(fromJson<Record<string, unknown>>(r.agents)).map(([k, v]) => [k, count(v)]),
      ),
    }))
  })

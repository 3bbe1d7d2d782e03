import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"
import type { E2eDatabase } from "./database-mode.js"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Every lead of the tenant and its stage. */
export const leadStages = (db: E2eDatabase, tenantId: string) =>
  db.inspect(
    Effect.gen(function* () {
      const sql = yield* SqlClient
      return yield* sql<{ id: string; stage: string }>`SELECT id, stage FROM leads WHERE tenant_id = ${tenantId}`
    }),
  )

/** Polls (every second, for at most `withinMs`) until every lead of the tenant is terminal; returns the last read. */
export const untilLeadsTerminal = async (db: E2eDatabase, tenantId: string, withinMs: number) => {
  const deadline = Date.now() + withinMs
  let leads = await leadStages(db, tenantId)
  while (Date.now() < deadline && leads.some((l) => l.stage !== "terminal")) {
    await sleep(1_000)
    leads = await leadStages(db, tenantId)
  }
  return leads
}

/** How many accepted offers each lead has, each call's lead and phase, and the open offers 2 s past their expiry. */
export const assignmentFacts = (db: E2eDatabase, tenantId: string) =>
  db.inspect(
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const accepted = yield* sql<{ leadId: string; n: number }>`SELECT lead_id, count(*)::int AS n FROM offers
        WHERE tenant_id = ${tenantId} AND state = 'accepted' GROUP BY lead_id`
      const calls = yield* sql<{ leadId: string; phase: string }>`SELECT lead_id, phase FROM calls
        WHERE tenant_id = ${tenantId}`
      const overdueOffers = yield* sql<{ id: string }>`SELECT id FROM offers
        WHERE tenant_id = ${tenantId} AND state = 'open' AND expires_at < ${Date.now() - 2_000}`
      return { accepted, calls, overdueOffers }
    }),
  )

/**
 * How a lead got where it stands, for a test that finds it stuck: its row, its history, its offers and calls (with
 * their events), and the agents whose rows hold it. Times are relative to `since`.
 */
export const leadStory = (db: E2eDatabase, leadId: string, since: number) =>
  db.inspect(
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const at = (t: unknown) => (t === null ? null : Number(t) - since)
      const [lead] = yield* sql<{ stage: string; assignedAgentId: string | null; updatedAt: string }>`SELECT stage,
        assigned_agent_id, updated_at FROM leads WHERE id = ${leadId}`
      const events = yield* sql<{ at: string; kind: string; detail: unknown }>`SELECT at, kind, detail
        FROM lead_events WHERE lead_id = ${leadId} ORDER BY id`
      const offers = yield* sql<{ id: string; state: string; agentIds: unknown; createdAt: string }>`SELECT id, state,
        agent_ids, created_at, resolved_by FROM offers WHERE lead_id = ${leadId} ORDER BY created_at`
      const calls = yield* sql<{ id: string; phase: string; agentId: string | null; createdAt: string }>`SELECT id,
        phase, agent_id, created_at, ended_at, hangup_cause FROM calls WHERE lead_id = ${leadId} ORDER BY created_at`
      const callEvents = yield* sql<{ callId: string; kind: string; at: string }>`SELECT call_id, kind, at
        FROM call_events WHERE call_id IN (SELECT id FROM calls WHERE lead_id = ${leadId}) ORDER BY id`
      const agents = yield* sql<{ id: string; state: string; currentCallId: string | null }>`SELECT id, state,
        current_call_id, call_phase, working_lead_id FROM agents WHERE working_lead_id = ${leadId}
        OR current_call_id IN (SELECT id FROM calls WHERE lead_id = ${leadId})`
      return {
        lead: lead === undefined ? null : { ...lead, updatedAt: at(lead.updatedAt) },
        events: events.map((e) => ({ ...e, at: at(e.at) })),
        offers: offers.map((o) => ({ ...o, createdAt: at(o.createdAt) })),
        calls: calls.map((c) => ({ ...c, createdAt: at(c.createdAt) })),
        callEvents: callEvents.map((e) => ({ ...e, at: at(e.at) })),
        agents,
      }
    }),
  )

/** An agent's row as the database holds it: state, pending offer, call and lead, for a test that finds it idle. */
export const agentRow = (db: E2eDatabase, agentId: string) =>
  db.inspect(
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const [row] = yield* sql<Record<string, unknown>>`SELECT state, state_since, pending_offer, current_call_id,
        call_phase, working_lead_id, campaign_id FROM agents WHERE id = ${agentId}`
      return row ?? null
    }),
  )

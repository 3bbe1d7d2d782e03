import { queueRule } from "@ringmaster/domain"
import { entryOf, type ModelState, queueOrder } from "./model.js"
import type { RealState } from "./world.js"

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Where the real system differs from the model; empty when they agree on everything observable. */
export const differences = (m: ModelState, real: RealState): Array<string> => {
  const out: Array<string> = []
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (!same(actual, expected)) out.push(`${what}: real ${JSON.stringify(actual)}, model ${JSON.stringify(expected)}`)
  }
  expect("clock", real.now, m.now)

  for (const l of m.leads.values()) {
    const r = real.leads.get(l.id)
    if (r === undefined) {
      out.push(`lead ${l.id} is missing from the database`)
      continue
    }
    expect(
      `lead ${l.id}`,
      {
        stage: r.stage,
        statusId: r.statusId,
        attempts: r.attempts,
        attemptsInStatus: r.attemptsInStatus,
        lastContactAt: r.lastContactAt,
        nextAttemptAt: r.nextAttemptAt,
        recycled: r.recycledSeq !== null,
        assignedAgentId: r.assignedAgentId,
        assignedUntil: r.assignedUntil,
      },
      {
        stage: l.stage,
        statusId: l.statusId,
        attempts: l.attempts,
        attemptsInStatus: l.attemptsInStatus,
        lastContactAt: l.lastContactAt,
        nextAttemptAt: l.nextAttemptAt,
        recycled: l.recycledSeq !== null,
        assignedAgentId: l.assignedAgentId,
        assignedUntil: l.assignedUntil,
      },
    )
  }
  for (const id of real.leads.keys()) if (!m.leads.has(id)) out.push(`lead ${id} exists but the model has none`)

  for (const a of m.agents.values()) {
    const r = real.agents.get(a.id)
    if (r === undefined) {
      out.push(`agent ${a.id} is missing from the database`)
      continue
    }
    expect(
      `agent ${a.id}`,
      {
        state: r.state,
        stateSince: r.stateSince,
        notification:
          r.pendingOffer === null ? null : { leadId: r.pendingOffer.lead.id, expiresAt: r.pendingOffer.expiresAt },
        workingLeadId: r.workingLeadId,
        call: r.call === null ? null : r.call.phase === "Ended" ? "ended" : "live",
      },
      {
        state: a.state,
        stateSince: a.stateSince,
        notification: a.pending,
        workingLeadId: a.workingLeadId,
        call: a.call === null ? null : a.call.ended ? "ended" : "live",
      },
    )
  }

  const offers = real.openOffers
    .map((o) => ({ leadId: o.leadId, agentIds: o.agentIds, expiresAt: o.expiresAt }))
    .sort((a, b) => a.leadId.localeCompare(b.leadId))
  const modelOffers = Array.from(m.leads.values())
    .filter((l) => l.offer !== null)
    .map((l) => ({ leadId: l.id, agentIds: [l.offer?.agentId], expiresAt: l.offer?.expiresAt }))
    .sort((a, b) => a.leadId.localeCompare(b.leadId))
  expect("open offers", offers, modelOffers)

  expect(
    "the distributor's queue",
    real.queue.map((q) => ({
      leadId: q.leadId,
      rule: q.rule,
      priority: q.priority,
      nextAttemptAt: q.nextAttemptAt,
      lastContactAt: q.lastContactAt,
    })),
    queueOrder(m).map((l) => {
      const e = entryOf(m, l)
      return {
        leadId: l.id,
        rule: queueRule(e),
        priority: e.priority,
        nextAttemptAt: e.nextAttemptAt,
        lastContactAt: e.lastContactAt,
      }
    }),
  )
  expect("agents the distributor holds free", real.availableAgents, m.available.size)
  return out
}

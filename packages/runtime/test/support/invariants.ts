/**
 * Invariants 1, 2, 3 and 5 of ARCHITECTURE.md, checked on the real system alone (no model): what a supervisor
 * would see wrong in the database, the distributor's queue, or the consoles. Invariant 4 (queue order) needs the
 * model and is in `compare.ts`.
 */
import { type AgentId, type AgentState, isLegalAgentTransition, type OfferId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import type { RealState } from "./world.js"

/** Invariants 1 to 3 on one reading of the system, after it settled. */
export const stateViolations = (real: RealState): Array<string> => {
  const out: Array<string> = []
  const agents = Array.from(real.agents.values())
  const queued = new Set(real.queue.map((q) => q.leadId))
  if (queued.size !== real.queue.length) out.push("3: a lead is twice in the distributor's queue")

  for (const lead of real.leads.values()) {
    const offers = real.openOffers.filter((o) => o.leadId === lead.id)
    const notifiedTo = agents.filter((a) => a.pendingOffer?.lead.id === lead.id)
    const workedBy = agents.filter((a) => a.workingLeadId === lead.id)
    // 1. offered to, or assigned to, at most one agent at a time
    if (offers.length > 1) out.push(`1: lead ${lead.id} has ${offers.length} open offers`)
    if (offers.some((o) => o.agentIds.length !== 1)) out.push(`1: lead ${lead.id} is offered to several agents`)
    if (notifiedTo.length > 1) out.push(`1: lead ${lead.id} is on the screens of ${notifiedTo.map((a) => a.id)}`)
    if (workedBy.length > 1) out.push(`1: lead ${lead.id} is worked by ${workedBy.map((a) => a.id)}`)
    if (offers.length > 0 && workedBy.length > 0)
      out.push(`1: lead ${lead.id} is offered while ${workedBy[0]?.id} works it`)
    // 3. in exactly one place
    const inQueue = queued.has(lead.id)
    if ((lead.stage === "ready") !== inQueue) {
      out.push(`3: lead ${lead.id} is ${lead.stage} but ${inQueue ? "is" : "is not"} in the distributor's queue`)
    }
    if ((lead.stage === "offered") !== (offers.length === 1)) {
      out.push(`3: lead ${lead.id} is ${lead.stage} with ${offers.length} open offers`)
    }
    if (lead.stage === "offered" && notifiedTo.length !== 1) {
      out.push(`3: lead ${lead.id} is offered but on ${notifiedTo.length} agents' screens`)
    }
    if (lead.stage === "in_call" && (workedBy.length !== 1 || workedBy[0]?.state !== "OnCall")) {
      out.push(`3: lead ${lead.id} is in a call but no agent is on that call`)
    }
    if (lead.stage === "wrap_up" && (workedBy.length !== 1 || workedBy[0]?.state !== "WrapUp")) {
      out.push(
        `3: lead ${lead.id} is in wrap-up but no agent is wrapping it up ` +
          `(worked by ${workedBy.map((a) => `${a.id} ${a.state}`).join(", ") || "nobody"})`,
      )
    }
    if (lead.stage === "waiting" && (lead.nextAttemptAt === null || lead.nextAttemptAt <= real.now)) {
      out.push(`3: lead ${lead.id} waits for an attempt time that has passed (${lead.nextAttemptAt}, now ${real.now})`)
    }
    if (lead.stage === "terminal" && lead.nextAttemptAt !== null) {
      out.push(`3: lead ${lead.id} is terminal with a next attempt at ${lead.nextAttemptAt}`)
    }
  }
  for (const id of queued) if (!real.leads.has(id)) out.push(`3: the queue holds an unknown lead ${id}`)

  for (const agent of agents) {
    // 2. at most one notification, and only when Online
    const offers = real.openOffers.filter((o) => o.agentIds.includes(agent.id))
    if (offers.length > 1) out.push(`2: agent ${agent.id} is offered ${offers.length} leads at once`)
    if (agent.pendingOffer !== null && agent.state !== "Online") {
      out.push(`2: agent ${agent.id} holds a notification while ${agent.state}`)
    }
    const pending = agent.pendingOffer
    if (pending !== null && !offers.some((o) => o.id === pending.offerId)) {
      out.push(`2: agent ${agent.id} shows notification ${pending.offerId}, which is not an open offer to it`)
    }
    if (pending === null && offers.length > 0) {
      out.push(`2: agent ${agent.id} is offered lead ${offers[0]?.leadId} but shows no notification`)
    }
    if (agent.workingLeadId !== null && agent.state !== "OnCall" && agent.state !== "WrapUp") {
      out.push(`3: agent ${agent.id} is ${agent.state} but still holds lead ${agent.workingLeadId}`)
    }
  }
  return out
}

/**
 * Follows what each agent's consoles were told: every state change must be a move of the state machine (5),
 * and a notification arrives only to an Online agent with none on screen (2).
 */
export class ConsoleWatch {
  private readonly state = new Map<AgentId, AgentState>()
  private readonly onScreen = new Map<AgentId, OfferId | null>()

  observe(pushes: ReadonlyMap<AgentId, ReadonlyArray<ServerMessage>>): Array<string> {
    const out: Array<string> = []
    for (const [agentId, messages] of pushes) {
      for (const message of messages) {
        const state = this.state.get(agentId) ?? "Offline"
        if (message._tag === "AgentSnapshot") {
          const to = message.agent.state
          if (to !== state && !isLegalAgentTransition(state, to)) {
            out.push(`5: agent ${agentId} moved ${state} -> ${to}, which the state machine forbids`)
          }
          this.state.set(agentId, to)
          this.onScreen.set(agentId, message.agent.pendingOffer?.offerId ?? null)
        } else if (message._tag === "Notification") {
          if (state !== "Online") out.push(`2: agent ${agentId} was notified while ${state}`)
          const shown = this.onScreen.get(agentId) ?? null
          if (shown !== null && shown !== message.offer.offerId) {
            out.push(`2: agent ${agentId} was notified of ${message.offer.offerId} with ${shown} still on screen`)
          }
          this.onScreen.set(agentId, message.offer.offerId)
        } else if (message._tag === "NotificationWithdrawn") {
          if (this.onScreen.get(agentId) === message.offerId) this.onScreen.set(agentId, null)
        }
      }
    }
    return out
  }

  /** The consoles' last word must be the database's. */
  agrees(real: RealState): Array<string> {
    const out: Array<string> = []
    for (const agent of real.agents.values()) {
      const seen = this.state.get(agent.id) ?? "Offline"
      if (seen !== agent.state) out.push(`5: agent ${agent.id} is ${agent.state} but its console shows ${seen}`)
    }
    return out
  }
}

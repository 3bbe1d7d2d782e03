import type { AgentId } from "./ids.js"

export interface AvailableAgent {
  readonly agentId: AgentId
  /** Epoch ms since which the agent has been Online and free. */
  readonly availableSince: number
}

const byLongestIdle = (a: AvailableAgent, b: AvailableAgent): number =>
  a.availableSince < b.availableSince
    ? -1
    : a.availableSince > b.availableSince
      ? 1
      : a.agentId < b.agentId
        ? -1
        : a.agentId > b.agentId
          ? 1
          : 0

/**
 * Who sees a notification: the lead's assigned agent first when available, then the others by longest idle
 * (agent id breaks ties); at most `count` agents, each once. `count` below 1 is read as 1 (settings forbid
 * it). Empty when no agent is available.
 */
export const chooseRecipients = (input: {
  readonly available: ReadonlyArray<AvailableAgent>
  readonly count: number
  readonly assignedAgentId: AgentId | null
}): ReadonlyArray<AgentId> => {
  const limit = Number.isFinite(input.count) ? Math.max(1, Math.floor(input.count)) : 1
  const chosen: Array<AgentId> = []
  const seen = new Set<AgentId>()
  const add = (agentId: AgentId) => {
    if (chosen.length < limit && !seen.has(agentId)) {
      seen.add(agentId)
      chosen.push(agentId)
    }
  }
  const assigned = input.assignedAgentId
  if (assigned !== null && input.available.some((a) => a.agentId === assigned)) add(assigned)
  for (const agent of [...input.available].sort(byLongestIdle)) {
    if (chosen.length >= limit) break
    add(agent.agentId)
  }
  return chosen
}

/** A lead stays with the agent who last worked it until `until` (epoch ms). */
export interface Assignment {
  readonly agentId: AgentId
  readonly until: number
}

/**
 * Who may be offered a ready lead. While the assignment is current and its agent Online, the lead waits for
 * that agent alone until `assignmentWaitMs` after it became ready; after that, or when the agent is not
 * Online or the assignment has expired, anyone may take it.
 */
export const offerableTo = (input: {
  readonly assignment: Assignment | null
  readonly assignedAgentOnline: boolean
  readonly readyAt: number
  readonly now: number
  readonly assignmentWaitMs: number
}): "assigned-agent-only" | "anyone" => {
  const { assignment, now } = input
  if (assignment === null || now >= assignment.until || !input.assignedAgentOnline) return "anyone"
  return now < input.readyAt + input.assignmentWaitMs ? "assigned-agent-only" : "anyone"
}

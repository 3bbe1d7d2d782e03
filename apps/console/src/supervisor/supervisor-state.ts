import type { AgentView, AlertView } from "@ringmaster/protocol"

export type AlertItem = typeof AlertView.Type

/** The live part of the supervisor view: agents by id, and the alerts newest first. */
export interface SupervisorState {
  readonly agents: ReadonlyMap<string, AgentView>
  readonly alerts: ReadonlyArray<AlertItem>
}

export const initialSupervisorState: SupervisorState = { agents: new Map(), alerts: [] }

export const maxAlerts = 50

/** A pushed change is the newest thing known about that agent. */
export const applyAgentChange = (state: SupervisorState, agent: AgentView): SupervisorState => ({
  ...state,
  agents: new Map(state.agents).set(agent.agentId, agent),
})

/**
 * A list fetched over HTTP. A push may have overtaken the request: an agent whose state changed after the one
 * in the list keeps the pushed view. Agents missing from the list are gone (deleted or moved to another tenant).
 */
export const applyAgentList = (state: SupervisorState, list: ReadonlyArray<AgentView>): SupervisorState => {
  const agents = new Map<string, AgentView>()
  for (const fetched of list) {
    const known = state.agents.get(fetched.agentId)
    agents.set(fetched.agentId, known !== undefined && known.stateSince > fetched.stateSince ? known : fetched)
  }
  return { ...state, agents }
}

const alertKey = (a: AlertItem) => `${a.kind}|${a.at}|${a.message}|${a.campaignId ?? ""}`

/** Alerts from the history and from the socket, each once, newest first, at most `maxAlerts`. */
export const addAlerts = (state: SupervisorState, alerts: ReadonlyArray<AlertItem>): SupervisorState => {
  const byKey = new Map<string, AlertItem>()
  for (const a of [...state.alerts, ...alerts]) byKey.set(alertKey(a), a)
  const merged = [...byKey.values()].sort((a, b) => b.at - a.at).slice(0, maxAlerts)
  return { ...state, alerts: merged }
}

const stateOrder: Record<string, number> = { OnCall: 0, WrapUp: 1, Online: 2, Busy: 3, OnBreak: 4, Offline: 5 }

/** Agents at work first (on a call, wrap-up, online...), then by name. */
export const sortedAgents = (state: SupervisorState): ReadonlyArray<AgentView> =>
  [...state.agents.values()].sort(
    (a, b) => (stateOrder[a.state] ?? 9) - (stateOrder[b.state] ?? 9) || a.name.localeCompare(b.name),
  )

import type { AgentView, DispositionView, LeadCard, PendingOffer, ServerMessage } from "@ringmaster/protocol"

export interface Notice {
  readonly id: number
  readonly tone: "info" | "warning" | "error"
  readonly text: string
  readonly at: number
}

/** Everything the agent console shows, rebuilt from what the server sends. */
export interface AgentConsoleState {
  readonly me: { readonly name: string; readonly role: string } | null
  readonly agent: AgentView | null
  readonly dispositions: ReadonlyArray<typeof DispositionView.Type>
  /** The notification on screen. */
  readonly offer: PendingOffer | null
  /** The lead the agent works on (from the accepted notification, or fetched after a reload). */
  readonly workingLead: LeadCard | null
  readonly notices: ReadonlyArray<Notice>
}

export const initialAgentState: AgentConsoleState = {
  me: null,
  agent: null,
  dispositions: [],
  offer: null,
  workingLead: null,
  notices: [],
}

const maxNotices = 5

export const addNotice = (
  state: AgentConsoleState,
  tone: Notice["tone"],
  text: string,
  at: number,
): AgentConsoleState => {
  const id = (state.notices[0]?.id ?? 0) + 1
  return { ...state, notices: [{ id, tone, text, at }, ...state.notices].slice(0, maxNotices) }
}

const withdrawnText = {
  taken: "The notification was taken by another agent.",
  timeout: "The notification timed out; the lead went back to the queue.",
  ignored: "The notification was ignored; the lead went back to the queue.",
  cancelled: "The notification was withdrawn.",
} as const

/**
 * Applies one server message. The snapshot is the truth: it replaces the agent and the pending notification,
 * so a console that reconnects shows exactly the server's state. The working lead is kept only while the server
 * still says the agent works on it.
 */
export const applyServerMessage = (
  state: AgentConsoleState,
  message: ServerMessage,
  now: number,
): AgentConsoleState => {
  switch (message._tag) {
    case "Hello":
      return { ...state, me: { name: message.name, role: message.role } }
    case "AgentSnapshot": {
      const agent = message.agent
      const offer = agent.pendingOffer
      const acceptedLead = state.offer !== null && state.offer.lead.id === agent.workingLeadId ? state.offer.lead : null
      const workingLead =
        agent.workingLeadId === null
          ? null
          : state.workingLead?.id === agent.workingLeadId
            ? state.workingLead
            : acceptedLead
      return { ...state, agent, dispositions: message.dispositions, offer, workingLead }
    }
    case "Notification":
      return { ...state, offer: message.offer }
    case "NotificationWithdrawn":
      if (state.offer?.offerId !== message.offerId) return state
      return addNotice({ ...state, offer: null }, "info", withdrawnText[message.reason], now)
    case "Failure":
      return addNotice(state, "error", message.message, now)
    case "Alert":
      return addNotice(state, "warning", message.message, message.at)
    case "Ack":
    case "Pong":
    case "AgentStateChanged":
      return state
  }
}

/** The offer to announce: one that is on screen now and was not before. */
export const newOffer = (before: AgentConsoleState, after: AgentConsoleState): PendingOffer | null =>
  after.offer !== null && after.offer.offerId !== before.offer?.offerId ? after.offer : null

/** What the agent may do now, from the server's view of them. */
export const allowedActions = (state: AgentConsoleState) => {
  const agent = state.agent
  const onCall = agent?.call !== null && agent?.call !== undefined && agent.call.phase !== "Ended"
  return {
    accept: state.offer !== null,
    ignore: state.offer !== null,
    hangup: onCall,
    outcome: agent !== null && agent.workingLeadId !== null && !onCall,
    dial: agent !== null && agent.state === "Online" && state.offer === null && agent.workingLeadId === null,
    setState: agent !== null && !onCall && agent.workingLeadId === null,
  }
}

import type { ServerMessage } from "@ringmaster/protocol"

/**
 * One distributor decision as seen from outside: the agent (its push channel is its id) was free at `freeAt` and
 * was notified at `notifiedAt`.
 */
export interface TimedDecision {
  readonly agentId: string
  readonly freeAt: number
  readonly notifiedAt: number
}

type Snapshot = Extract<ServerMessage, { _tag: "AgentSnapshot" }>

/** Online with nothing on screen and nothing to finish: what the distributor may offer a lead to. */
export const isFreeSnapshot = (snapshot: Snapshot): boolean => {
  const agent = snapshot.agent
  return agent.state === "Online" && agent.pendingOffer === null && agent.workingLeadId === null && agent.call === null
}

/**
 * Times distributor decisions from the messages published to agents, in publication order. A decision starts when
 * an agent's snapshot first shows it free (the entity publishes it just before telling its campaign) and ends with
 * the next Notification published to that agent. Notifications without a known start (none here: every agent
 * starts Offline) are not timed.
 */
export class DecisionTimer {
  private readonly freeSince = new Map<string, number>()

  /** Feeds one published message; returns the decision it completes, if any. */
  observe(agentId: string, message: ServerMessage, at: number): TimedDecision | undefined {
    switch (message._tag) {
      case "AgentSnapshot": {
        if (isFreeSnapshot(message)) {
          if (!this.freeSince.has(agentId)) this.freeSince.set(agentId, at)
        } else {
          // Notified, busy, on a break, on a call or offline: any earlier start no longer counts.
          this.freeSince.delete(agentId)
        }
        return undefined
      }
      case "Notification": {
        const freeAt = this.freeSince.get(agentId)
        this.freeSince.delete(agentId)
        return freeAt === undefined ? undefined : { agentId, freeAt, notifiedAt: at }
      }
      default:
        return undefined
    }
  }

  /** Agents free and still waiting for a notification. */
  get waiting(): number {
    return this.freeSince.size
  }
}

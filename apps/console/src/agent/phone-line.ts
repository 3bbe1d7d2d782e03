import type { AgentView } from "@ringmaster/protocol"

export interface PhoneLine {
  readonly tone: "ok" | "pending" | "down"
  readonly text: string
}

/**
 * What the console says about the agent's own audio leg (auto-dialer campaigns): the agent is given callers only
 * while it is up, so a line being dialled or dropped is said plainly. Null when the agent works without a leg.
 */
export const phoneLine = (agent: AgentView, now: number): PhoneLine | null => {
  const leg = agent.leg
  if (leg === null) return null
  switch (leg.phase) {
    case "Up":
      return { tone: "ok", text: "Phone line connected" }
    case "Dialing":
      return { tone: "pending", text: "Calling your phone line: answer it to start taking calls" }
    case "Down": {
      const seconds = leg.retryAt === null ? 0 : Math.ceil((leg.retryAt - now) / 1_000)
      return {
        tone: "down",
        text:
          seconds > 0
            ? `Phone line dropped: calling it again in ${seconds} s`
            : "Phone line dropped: calling it again now",
      }
    }
  }
}

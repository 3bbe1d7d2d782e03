import type { AgentId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"

/**
 * The agents' side of the day, as a script: every agent is Online from the start; one the campaign connects to a
 * call talks until the far end hangs up (the entities then put it in wrap-up), and records its outcome `wrapMs()`
 * after entering wrap-up. It learns what its agents do from what is pushed to their consoles.
 */
export class AgentScript {
  /** Agents in wrap-up and when they record their outcome, keyed by the wrap-up's start (one outcome per wrap-up). */
  private readonly due = new Map<AgentId, { readonly wrapSince: number; readonly at: number }>()
  /** Each agent's state as its console last showed it. */
  private readonly states = new Map<AgentId, string>()

  constructor(private readonly wrapMs: () => number) {}

  /** Reads the agents' pushes, in agent order then push order: a new wrap-up gets its outcome time. */
  observe(pushes: ReadonlyMap<AgentId, ReadonlyArray<ServerMessage>>): void {
    for (const [agentId, messages] of pushes) {
      for (const message of messages) {
        if (message._tag !== "AgentSnapshot") continue
        const { state, stateSince, workingLeadId } = message.agent
        this.states.set(agentId, state)
        const pending = this.due.get(agentId)
        if (state !== "WrapUp" || workingLeadId === null) {
          this.due.delete(agentId)
        } else if (pending?.wrapSince !== stateSince) {
          this.due.set(agentId, { wrapSince: stateSince, at: stateSince + this.wrapMs() })
        }
      }
    }
  }

  /** When the next outcome is due, if any agent is in wrap-up. */
  nextDueAt(): number | undefined {
    let next: number | undefined
    for (const { at } of this.due.values()) if (next === undefined || at < next) next = at
    return next
  }

  /** The agents whose outcome is due by `now`, earliest first; they are not handed out again. */
  takeDue(now: number): ReadonlyArray<AgentId> {
    const ready = Array.from(this.due)
      .filter(([, d]) => d.at <= now)
      .sort((a, b) => a[1].at - b[1].at)
    for (const [agentId] of ready) this.due.delete(agentId)
    return ready.map(([agentId]) => agentId)
  }

  /** Agents whose console shows them on a call or in wrap-up. */
  get working(): number {
    let n = 0
    for (const state of this.states.values()) if (state === "OnCall" || state === "WrapUp") n++
    return n
  }
}

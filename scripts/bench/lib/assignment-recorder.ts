import type { AgentId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import { DecisionTimer, type TimedDecision } from "./decision-timer.js"

/**
 * What the scripted agents report and the published messages show, stamped with `performance.now()`: decisions,
 * confirmed assignments in the order they were confirmed, and failed steps by kind.
 */
export class AssignmentRecorder {
  readonly decisions: Array<TimedDecision> = []
  readonly assignments: Array<{ readonly sentAt: number; readonly confirmedAt: number }> = []
  readonly failures = new Map<string, number>()
  readonly timer = new DecisionTimer()
  lastAssignmentAt = performance.now()

  observe = (channel: string, message: ServerMessage, at: number) => {
    const decision = this.timer.observe(channel, message, at)
    if (decision !== undefined) this.decisions.push(decision)
  }
  assigned = (_agentId: AgentId, sentAt: number, confirmedAt: number) => {
    this.assignments.push({ sentAt, confirmedAt })
    this.lastAssignmentAt = confirmedAt
  }
  failed = (_agentId: AgentId, step: string, reason: string) => {
    const key = `${step}: ${reason}`
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1)
  }
  /** Assignments confirmed at or after `start`. */
  assignedSince(start: number): number {
    let n = 0
    for (let i = this.assignments.length - 1; i >= 0; i--) {
      const a = this.assignments[i]
      if (a === undefined || a.confirmedAt < start) break
      n++
    }
    return n
  }
}

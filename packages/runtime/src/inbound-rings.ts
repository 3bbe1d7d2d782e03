import type { AgentId, CallId } from "@ringmaster/domain"

interface Ring {
  /** When the call stops ringing (its ring timeout). */
  readonly until: number
  /** How many agents it may ring at most; 0 for every free agent. */
  readonly max: number
  readonly agents: Array<AgentId>
}

/**
 * A campaign's inbound calls still ringing, oldest first, and the agents each was given. Inbound calls come before
 * outbound work: an agent who becomes free while a caller waits is given to the oldest caller that may ring one more.
 */
export class InboundRings {
  private readonly rings = new Map<CallId, Ring>()

  /** Forgets the calls whose ring is over at `now`. */
  private expire(now: number): void {
    for (const [callId, ring] of this.rings) if (ring.until <= now) this.rings.delete(callId)
  }

  /** The agents given to a call still ringing, or undefined for a call this campaign has not seen ring. */
  agentsOf(callId: CallId, now: number): ReadonlyArray<AgentId> | undefined {
    this.expire(now)
    return this.rings.get(callId)?.agents
  }

  /** A call starts ringing `agents` (maybe none) until `until`. */
  start(
    callId: CallId,
    ring: { readonly until: number; readonly max: number; readonly agents: ReadonlyArray<AgentId> },
  ) {
    this.rings.delete(callId)
    this.rings.set(callId, { until: ring.until, max: ring.max, agents: [...ring.agents] })
  }

  /** The oldest call still ringing that may ring one more agent, now given `agentId`; undefined when none. */
  give(agentId: AgentId, now: number): CallId | undefined {
    this.expire(now)
    for (const [callId, ring] of this.rings) {
      if (ring.agents.includes(agentId)) continue
      if (ring.max > 0 && ring.agents.length >= ring.max) continue
      ring.agents.push(agentId)
      return callId
    }
    return undefined
  }

  /** The call rings no more (answered, hung up, timed out). */
  end(callId: CallId): void {
    this.rings.delete(callId)
  }

  get size(): number {
    return this.rings.size
  }
}

import type { DispositionId, OfferId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import { ConsoleClient } from "@ringmaster/testkit"

interface SnapshotNote {
  readonly at: number
  readonly state: string
  readonly call: string | null
}

const recentKept = 12

/** How long the agent waits before it tries again a hangup or an outcome that was refused. */
const retryAfterMs = 1_000

type AgentView = Extract<ServerMessage, { _tag: "AgentSnapshot" }>["agent"]

/** How long the agent waits for a dial to ring before it hangs up. */
const dialingPatienceMs = 8_000

/**
 * An agent at work over a real WebSocket, as fast as it can: it accepts every notification, hangs up the call at
 * once and records `outcome`, or (`lazy`) lets every notification time out and comes back Online. When its
 * connection drops it reconnects to the next runner that answers, as a console does, and hangs up or records the
 * outcome again if the snapshot there says that is still to do; a hangup or an outcome refused it tries again after a
 * second. A dial that has not rung after 8 s it hangs up. It
 * keeps what a test checks: the notifications it got, and whether it ever held two at once.
 */
export class ScriptedAgent {
  readonly notified: Array<{ readonly at: number; readonly offerId: OfferId; readonly leadId: string }> = []
  readonly timeouts: Array<number> = []
  readonly reconnects: Array<{ readonly at: number; readonly runner: number }> = []
  /** Notifications that arrived while another was still pending. */
  doubleNotifications = 0
  /** What the agent's last snapshot said: where it stands when a test finds it idle. */
  lastSnapshot: SnapshotNote | null = null
  /** The last few snapshots and what the agent sent, oldest first: how it got where it stands. */
  readonly recent: Array<SnapshotNote | { readonly at: number; readonly sent?: string; readonly failed?: string }> = []
  private pending: OfferId | null = null
  /** The agent as its last snapshot showed it. */
  private agent: AgentView | null = null
  /** What to undo, by request id, when a command is refused, so that it is sent again. */
  private readonly retries = new Map<string, () => void>()
  private client: ConsoleClient | null = null
  private stopped = false
  private readonly hungUp = new Set<string>()
  private readonly outcomeSent = new Set<string>()

  constructor(
    readonly name: string,
    private readonly token: string,
    private readonly runnerUrls: () => ReadonlyArray<string | null>,
    private readonly behaviour: { readonly lazy: boolean; readonly outcome: DispositionId },
  ) {}

  async start(runner: number): Promise<void> {
    await this.connect(runner)
    await this.client?.command({ _tag: "SetState", state: "Online" })
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.client?.close()
  }

  private async connect(first: number): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const urls = this.runnerUrls()
      const index = (first + attempt) % urls.length
      const url = urls[index]
      if (url === null || url === undefined) continue
      try {
        this.note({ at: Date.now(), sent: `connect to runner ${index}` })
        const client = await ConsoleClient.connect(url, this.token)
        this.note({ at: Date.now(), sent: `connected to runner ${index}` })
        this.client = client
        // A greeting that came in with the handshake was dispatched before this line ran (ws emits it before the
        // promise resumes): it is handled first, or the agent would miss its snapshot and sit in wrap-up for good.
        for (const early of client.received) this.handle(client, early.message)
        client.onMessage((m) => this.handle(client, m))
        void client.closed.then(() => {
          if (this.stopped) return
          this.reconnects.push({ at: Date.now(), runner: index })
          // A command sent just before the connection dropped may never have been carried out (its runner died
          // with it); as a person at a console would, the agent acts again on what the next snapshot shows.
          this.hungUp.clear()
          this.outcomeSent.clear()
          this.retries.clear()
          void this.connect(index + 1)
        })
        return
      } catch {
        await new Promise((r) => setTimeout(r, 200))
      }
    }
  }

  private giveUpIfStillDialing(client: ConsoleClient, callId: string): void {
    setTimeout(() => {
      if (this.stopped || this.client !== client || this.hungUp.has(callId)) return
      if (this.agent?.call?.callId !== callId || this.agent.call.phase !== "Dialing") return
      this.hungUp.add(callId)
      this.send(client, { _tag: "Hangup" }, () => {
        this.hungUp.delete(callId)
        this.giveUpIfStillDialing(client, callId)
      })
    }, dialingPatienceMs)
  }

  private note(entry: SnapshotNote | { readonly at: number; readonly sent?: string; readonly failed?: string }): void {
    this.recent.push(entry)
    if (this.recent.length > recentKept) this.recent.shift()
  }

  /**
   * Sends a command. If it is refused (a runner going away answers "internal"), `retry` runs at once (it forgets that
   * the command was sent) and a second later the agent acts again on its last snapshot, as a person would press the
   * button again.
   */
  private send(client: ConsoleClient, command: Parameters<ConsoleClient["send"]>[0], retry?: () => void): void {
    this.note({ at: Date.now(), sent: command._tag })
    const requestId = client.send(command)
    if (retry !== undefined) this.retries.set(requestId, retry)
  }

  /** Hangs up the agent's call once the carrier has it, and records the outcome in wrap-up, unless already done. */
  private finishCall(client: ConsoleClient, agent: AgentView): void {
    const call = agent.call
    // A call can be hung up once the carrier has it (ringing); before that there is nothing to hang up yet.
    if (call !== null && call.phase !== "Ended" && call.phase !== "Dialing" && !this.hungUp.has(call.callId)) {
      this.hungUp.add(call.callId)
      this.send(client, { _tag: "Hangup" }, () => this.hungUp.delete(call.callId))
    }
    const leadId = agent.workingLeadId
    if (agent.state === "WrapUp" && leadId !== null && !this.outcomeSent.has(leadId)) {
      this.outcomeSent.add(leadId)
      this.send(client, { _tag: "SubmitOutcome", dispositionId: this.behaviour.outcome }, () =>
        this.outcomeSent.delete(leadId),
      )
    }
  }

  private handle(client: ConsoleClient, m: ServerMessage): void {
    switch (m._tag) {
      case "Notification":
        if (this.pending !== null && this.pending !== m.offer.offerId) this.doubleNotifications++
        this.pending = m.offer.offerId
        this.notified.push({ at: Date.now(), offerId: m.offer.offerId, leadId: m.offer.lead.id })
        if (!this.behaviour.lazy) this.send(client, { _tag: "Accept", offerId: m.offer.offerId })
        return
      case "NotificationWithdrawn":
        if (this.pending === m.offerId) this.pending = null
        if (m.reason === "timeout") this.timeouts.push(Date.now())
        return
      case "AgentSnapshot": {
        const agent = m.agent
        this.lastSnapshot = {
          at: Date.now(),
          state: agent.state,
          call: agent.call === null ? null : `${agent.call.callId} ${agent.call.phase}`,
        }
        this.note(this.lastSnapshot)
        this.pending = agent.pendingOffer?.offerId ?? null
        if (agent.pendingOffer !== null && !this.behaviour.lazy) {
          this.send(client, { _tag: "Accept", offerId: agent.pendingOffer.offerId })
        }
        this.agent = agent
        this.finishCall(client, agent)
        const call = agent.call
        // A dial that has not rung after a while is given up, as a person at the console would (its carrier may have
        // gone with a killed runner; a dial here rings within a second).
        if (call !== null && call.phase === "Dialing") this.giveUpIfStillDialing(client, call.callId)
        if (agent.state === "Busy") this.send(client, { _tag: "SetState", state: "Online" })
        return
      }
      case "Failure": {
        this.note({ at: Date.now(), failed: JSON.stringify(m).slice(0, 200) })
        if (m.requestId === null) return
        const retry = this.retries.get(m.requestId)
        if (retry === undefined) return
        this.retries.delete(m.requestId)
        retry()
        setTimeout(() => {
          if (!this.stopped && this.client === client && this.agent !== null) this.finishCall(client, this.agent)
        }, retryAfterMs)
        return
      }
      case "Ack":
        this.retries.delete(m.requestId)
        return
      default:
        return
    }
  }
}

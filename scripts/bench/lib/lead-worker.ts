import type { DispositionId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import { type ConsoleClient, isNotification, isSnapshot, type SnapshotMessage } from "@ringmaster/testkit"

/** The call is over (hung up, or the dial failed): the agent is wrapping up and may record the outcome. */
const isCallEnded = (m: ServerMessage): boolean =>
  isSnapshot(m) && (m.agent.call?.phase === "Ended" || m.agent.state === "WrapUp")

/**
 * How long a step may take before it counts as failed. Long: a step given up too early leaves the server doing it
 * anyway (an Accept carried out after the console stopped waiting puts the agent on a call nobody hangs up), and
 * an overloaded server shows in the latencies and the lost leads already.
 */
const stepTimeoutMs = 60_000

/**
 * A failure's reason without what differs from one agent to the next, so that the same failure of many agents
 * counts as one kind: "Accept refused: no-such-offer", "timed out waiting for the reply to Accept".
 */
export const failureKind = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error)
  const firstLine = text.split("\n")[0] ?? text
  const refused = /^(\w+ refused: [\w-]+)/.exec(firstLine)
  if (refused?.[1] !== undefined) return refused[1]
  return firstLine.replace(/; last messages:.*$/, "")
}

/** What the workers of a run share: a stop signal, how many are in the middle of a lead, and their failed steps. */
export class LeadWorkers {
  private stopNow: () => void = () => undefined
  /** Resolves once `stop` is called. */
  readonly stopping = new Promise<undefined>((resolve) => (this.stopNow = () => resolve(undefined)))
  stopped = false
  working = 0
  /** Notifications taken so far, by lead id (to see when a run has drained). */
  readonly taken = new Set<string>()
  readonly failures = new Map<string, number>()

  stop() {
    this.stopped = true
    this.stopNow()
  }

  failed(step: string, error: unknown) {
    const key = `${step}: ${failureKind(error)}`
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1)
  }

  get failedSteps(): number {
    return Array.from(this.failures.values()).reduce((sum, n) => sum + n, 0)
  }
}

const latestSnapshot = (client: ConsoleClient): SnapshotMessage | undefined => {
  for (let i = client.received.length - 1; i >= 0; i--) {
    const message = client.received[i]?.message
    if (message !== undefined && isSnapshot(message)) return message
  }
  return undefined
}

/**
 * After a failed step, brings the agent back to Online from whatever state its latest snapshot shows: hangs up a
 * call still up, records the outcome in wrap-up, asks to go Online when Busy. A few rounds at most.
 */
const recover = async (client: ConsoleClient, disposition: DispositionId, workers: LeadWorkers) => {
  for (let round = 0; round < 3; round++) {
    const agent = latestSnapshot(client)?.agent
    if (agent === undefined || agent.state === "Online") return
    try {
      if (agent.call !== null && agent.call.phase !== "Ended") {
        await client.command({ _tag: "Hangup" }, stepTimeoutMs)
      } else if (agent.state === "WrapUp") {
        await client.command({ _tag: "SubmitOutcome", dispositionId: disposition }, stepTimeoutMs)
      } else {
        await client.command({ _tag: "SetState", state: "Online" }, stepTimeoutMs)
      }
    } catch (error) {
      workers.failed("recovering", error)
    }
  }
}

/**
 * A console that works every lead it is offered at once, over its WebSocket: Accept (the agent dials through the
 * simulated carrier), Hangup, wait for the call to end, then the terminal `disposition`, which ends the lead and
 * brings the agent back Online for the next notification. A failed step is counted and the agent finds its way
 * back Online. Returns once `workers.stop()` was called and its current lead is done.
 */
export const workLeads = async (client: ConsoleClient, disposition: DispositionId, workers: LeadWorkers) => {
  let from = client.received.length
  while (!workers.stopped) {
    const notification = await Promise.race([
      client.waitFor(isNotification, { from, timeoutMs: 60_000 }).catch(() => undefined),
      workers.stopping,
    ])
    if (notification === undefined) continue
    const index = client.received.findIndex((r, i) => i >= from && r.message === notification)
    from = index + 1
    workers.taken.add(notification.offer.lead.id)
    workers.working++
    let step = "accept"
    try {
      await client.command({ _tag: "Accept", offerId: notification.offer.offerId }, stepTimeoutMs)
      step = "hangup"
      await client.command({ _tag: "Hangup" }, stepTimeoutMs)
      step = "wait for the call to end"
      await client.waitFor(isCallEnded, { from, timeoutMs: stepTimeoutMs })
      step = "outcome"
      await client.command({ _tag: "SubmitOutcome", dispositionId: disposition }, stepTimeoutMs)
    } catch (error) {
      workers.failed(step, error)
      if (!workers.stopped) await recover(client, disposition, workers)
    } finally {
      workers.working--
    }
  }
}

import type { DispositionId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import { type ConsoleClient, isNotification, isSnapshot } from "@ringmaster/testkit"

/** The call is over (hung up, or the dial failed): the agent is wrapping up and may record the outcome. */
const isCallEnded = (m: ServerMessage): boolean =>
  isSnapshot(m) && (m.agent.call?.phase === "Ended" || m.agent.state === "WrapUp")

const reasonOf = (error: unknown): string =>
  error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error)

/** What the workers of a run share: a stop flag, how many are in the middle of a lead, and their failed steps. */
export class LeadWorkers {
  stopped = false
  working = 0
  /** Notifications taken so far, by lead id (to see when a run has drained). */
  readonly taken = new Set<string>()
  readonly failures = new Map<string, number>()

  failed(step: string, reason: string) {
    const key = `${step}: ${reason}`
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1)
  }

  get failedSteps(): number {
    return Array.from(this.failures.values()).reduce((sum, n) => sum + n, 0)
  }
}

/**
 * A console that works every lead it is offered at once, over its WebSocket: Accept (the agent dials through the
 * simulated carrier), Hangup, wait for the call to end, then the terminal `disposition`, which ends the lead and
 * brings the agent back Online for the next notification. A failed step is counted and the agent asks to go
 * Online again. Returns once `workers.stopped` is set and its current lead is done.
 */
export const workLeads = async (client: ConsoleClient, disposition: DispositionId, workers: LeadWorkers) => {
  let from = client.received.length
  while (!workers.stopped) {
    const notification = await client.waitFor(isNotification, { from, timeoutMs: 1_000 }).catch(() => undefined)
    if (notification === undefined) continue
    const index = client.received.findIndex((r, i) => i >= from && r.message === notification)
    from = index + 1
    workers.taken.add(notification.offer.lead.id)
    workers.working++
    let step = "accept"
    try {
      await client.command({ _tag: "Accept", offerId: notification.offer.offerId })
      step = "hangup"
      await client.command({ _tag: "Hangup" })
      step = "wait for the call to end"
      await client.waitFor(isCallEnded, { from, timeoutMs: 15_000 })
      step = "outcome"
      await client.command({ _tag: "SubmitOutcome", dispositionId: disposition })
    } catch (error) {
      workers.failed(step, reasonOf(error))
      await client
        .command({ _tag: "SetState", state: "Online" })
        .catch((e: unknown) => workers.failed("back Online after a failure", reasonOf(e)))
    } finally {
      workers.working--
    }
  }
}

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
  /** The most agents working at once since `resetPeak`. */
  peakWorking = 0
  /** Calls the far end hung up before the agent's talk time was over (only when agents talk). */
  farEndHangups = 0
  /** Notifications taken so far, by lead id (to see when a run has drained). */
  readonly taken = new Set<string>()
  readonly failures = new Map<string, number>()

  stop() {
    this.stopped = true
    this.stopNow()
  }

  started() {
    this.working++
    this.peakWorking = Math.max(this.peakWorking, this.working)
  }

  finished() {
    this.working--
  }

  resetPeak() {
    this.peakWorking = this.working
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
 * Stays on the call for `talkMs`, or until the call ends first (the far end hung up), or until the workers stop.
 * True when the call ended first.
 */
const holdCall = async (client: ConsoleClient, from: number, talkMs: number, workers: LeadWorkers) => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const talked = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), talkMs)))
  const ended = client.waitFor(isCallEnded, { from, timeoutMs: talkMs + stepTimeoutMs }).then(
    () => true,
    () => false,
  )
  try {
    return await Promise.race([talked, ended, workers.stopping.then(() => false)])
  } finally {
    clearTimeout(timer)
  }
}

/** The refusal of a Hangup whose call had already ended: the far end hung up as the agent was about to. */
const isNoCallRefusal = (error: unknown) => failureKind(error) === "Hangup refused: no-call"

/**
 * A console that works every lead it is offered at once, over its WebSocket: Accept (the agent dials through the
 * simulated carrier), stay on the call `talkMs` (0: not at all), Hangup, wait for the call to end, then the
 * terminal `disposition`, which ends the lead and brings the agent back Online for the next notification. A call
 * the far end ends during the talk is not hung up again, and counted. A failed step is counted and the agent finds
 * its way back Online. Returns once `workers.stop()` was called and its current lead is done (a talk is cut short).
 */
export const workLeads = async (
  client: ConsoleClient,
  disposition: DispositionId,
  workers: LeadWorkers,
  talkMs = 0,
) => {
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
    workers.started()
    let step = "accept"
    try {
      await client.command({ _tag: "Accept", offerId: notification.offer.offerId }, stepTimeoutMs)
      if (talkMs > 0) {
        const endedFirst = await holdCall(client, from, talkMs, workers)
        step = "hangup"
        if (endedFirst) {
          workers.farEndHangups++
        } else {
          await client.command({ _tag: "Hangup" }, stepTimeoutMs).catch((error: unknown) => {
            if (!isNoCallRefusal(error)) throw error
            workers.farEndHangups++
          })
        }
      } else {
        step = "hangup"
        await client.command({ _tag: "Hangup" }, stepTimeoutMs)
      }
      step = "wait for the call to end"
      await client.waitFor(isCallEnded, { from, timeoutMs: stepTimeoutMs })
      step = "outcome"
      await client.command({ _tag: "SubmitOutcome", dispositionId: disposition }, stepTimeoutMs)
    } catch (error) {
      workers.failed(step, error)
      if (!workers.stopped) await recover(client, disposition, workers)
    } finally {
      workers.finished()
    }
  }
}

import type { ServerMessage } from "@ringmaster/protocol"

/** One POST /leads of a speed-to-lead run: when it was sent (wall clock, ms) and the lead it created, if any. */
export interface SentLead {
  readonly sentAt: number
  /** The id of the created lead; undefined when the POST failed (not 201, or no reply). */
  readonly leadId: string | undefined
}

/**
 * The moment each lead's first outbound Notification arrived at any of the consoles, from the messages the
 * consoles received (each stamped on arrival). A lead offered again later (recycled) keeps its first arrival.
 */
export const firstNotifications = (
  inboxes: ReadonlyArray<ReadonlyArray<{ readonly at: number; readonly message: ServerMessage }>>,
): Map<string, number> => {
  const first = new Map<string, number>()
  for (const inbox of inboxes) {
    for (const { at, message } of inbox) {
      if (message._tag !== "Notification" || message.offer.kind !== "outbound") continue
      const id = message.offer.lead.id
      const seen = first.get(id)
      if (seen === undefined || at < seen) first.set(id, at)
    }
  }
  return first
}

export interface SpeedToLead {
  /** Milliseconds from sending the POST to the first Notification, one per notified lead, in sending order. */
  readonly latencies: ReadonlyArray<number>
  /** POSTs sent. */
  readonly sent: number
  /** POSTs that did not create a lead. */
  readonly postFailures: number
  /** Created leads that reached an agent. */
  readonly notified: number
  /** Created leads that never reached an agent. */
  readonly lost: number
}

/** Speed to lead of the `sent` leads, given when each was first notified. */
export const speedToLead = (sent: ReadonlyArray<SentLead>, notifiedAt: ReadonlyMap<string, number>): SpeedToLead => {
  const latencies: Array<number> = []
  let postFailures = 0
  let lost = 0
  for (const lead of sent) {
    if (lead.leadId === undefined) {
      postFailures++
      continue
    }
    const at = notifiedAt.get(lead.leadId)
    if (at === undefined) lost++
    else latencies.push(at - lead.sentAt)
  }
  return { latencies, sent: sent.length, postFailures, notified: latencies.length, lost }
}

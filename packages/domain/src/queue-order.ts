import { Order } from "effect"
import type { LeadId } from "./ids.js"

/** What the distributor needs to know to place a ready lead in its campaign's queue. */
export interface QueueEntry {
  readonly leadId: LeadId
  /** Campaign-wide increasing sequence given when the lead was recycled; null when it was not. */
  readonly recycledSeq: number | null
  /** The lead's type is set to priority 0 (the override that jumps every non-recycled lead). */
  readonly priorityZero: boolean
  /** Epoch ms of the last contact; null when never contacted. */
  readonly lastContactAt: number | null
  readonly nextAttemptAt: number
  /** The cadence priority: 1 is the most urgent. */
  readonly priority: number
}

export type QueueRule = "recycled" | "priority-0" | "scheduled"

/** Which of the three queue-order rules places this entry. */
export const queueRule = (e: QueueEntry): QueueRule =>
  e.recycledSeq !== null ? "recycled" : e.priorityZero ? "priority-0" : "scheduled"

/** The rule as a rank (0 recycled, 1 priority-0, 2 scheduled): the comparison runs millions of times. */
const ruleRank = (e: QueueEntry): 0 | 1 | 2 => (e.recycledSeq !== null ? 0 : e.priorityZero ? 1 : 2)

const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0)

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Never contacted (null) counts as the oldest contact. */
const compareLastContact = (a: number | null, b: number | null): number =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : compareNumbers(a, b)

const compareWithinRule = (rank: 0 | 1 | 2, a: QueueEntry, b: QueueEntry): number => {
  switch (rank) {
    case 0:
      return compareNumbers(a.recycledSeq ?? 0, b.recycledSeq ?? 0)
    case 1:
      return compareLastContact(a.lastContactAt, b.lastContactAt)
    case 2:
      return compareNumbers(a.nextAttemptAt, b.nextAttemptAt) || compareNumbers(a.priority, b.priority)
  }
}

/**
 * The distributor's order; negative when `a` is handed out first. Recycled leads first (first recycled,
 * first out), then priority-0 leads by oldest last contact, then the rest by next attempt and priority.
 * The lead id (plain code-unit comparison) breaks every remaining tie, so the order is total.
 */
export const compareQueueEntries = (a: QueueEntry, b: QueueEntry): number => {
  const rankA = ruleRank(a)
  const rankB = ruleRank(b)
  if (rankA !== rankB) return rankA < rankB ? -1 : 1
  return compareWithinRule(rankA, a, b) || compareStrings(a.leadId, b.leadId)
}

export const QueueEntryOrder: Order.Order<QueueEntry> = Order.make((a, b) => {
  const c = compareQueueEntries(a, b)
  return c < 0 ? -1 : c > 0 ? 1 : 0
})

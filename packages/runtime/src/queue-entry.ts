import type { LeadStatusId } from "@ringmaster/domain"
import type { QueueEntryData } from "@ringmaster/protocol"
import type { QueueLeadRow, TenantConfig } from "@ringmaster/store"

/** Priority used for a status without a cadence: such a lead should not be queued, but never crash ordering. */
const LOWEST_PRIORITY = 1_000_000

/** The queue priority of a lead of this status: its cadence's. */
export const queuePriority = (statusId: LeadStatusId, config: TenantConfig): number =>
  config.cadences.get(statusId)?.priority ?? LOWEST_PRIORITY

/** The distributor's view of a ready lead: what the queue order needs to place it. */
export const queueEntryOf = (lead: QueueLeadRow, config: TenantConfig): QueueEntryData => ({
  leadId: lead.id,
  leadTypeId: lead.leadTypeId,
  // The configuration's own string: a million queued leads share a few status ids, not one copy each.
  statusId: config.statuses.get(lead.statusId)?.id ?? lead.statusId,
  recycledSeq: lead.recycledSeq,
  priorityZero: config.leadTypes.get(lead.leadTypeId)?.priorityZero ?? false,
  lastContactAt: lead.lastContactAt,
  nextAttemptAt: lead.nextAttemptAt ?? lead.createdAt,
  priority: queuePriority(lead.statusId, config),
  assignedAgentId: lead.assignedAgentId,
  assignedUntil: lead.assignedUntil,
})

import { LeadId } from "@ringmaster/domain"
import type { LeadCard, LeadView } from "@ringmaster/protocol"
import { findLeadWithHistory, type LeadRow, type LeadWithHistory, leadView, type TenantConfig } from "@ringmaster/store"
import { Effect, Option } from "effect"

const namesOf = (lead: LeadRow, config: TenantConfig) => ({
  leadType: config.leadTypes.get(lead.leadTypeId)?.name ?? lead.leadTypeId,
  status: config.statuses.get(lead.statusId)?.name ?? lead.statusId,
})

export const viewOfLead = (lead: LeadRow, config: TenantConfig): LeadView => leadView(lead, namesOf(lead, config))

/** What an agent's notification shows about a lead: who, how to reach them, and what happened so far. */
export const cardOf = ({ lead, history }: LeadWithHistory, config: TenantConfig): LeadCard => {
  const names = namesOf(lead, config)
  return {
    id: lead.id,
    name: lead.name,
    phone: lead.phone,
    email: lead.email,
    leadType: names.leadType,
    status: names.status,
    attempts: lead.attempts,
    lastContactAt: lead.lastContactAt,
    notes: lead.notes,
    history,
  }
}

/** The card of a lead, read from the store. */
export const leadCard = (leadId: string, config: TenantConfig) =>
  Effect.map(
    findLeadWithHistory(LeadId.make(leadId)),
    Option.map((found) => cardOf(found, config)),
  )

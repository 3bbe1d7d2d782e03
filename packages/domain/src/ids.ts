import { Schema } from "effect"

const id = <B extends string>(brand: B) =>
  Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64), Schema.brand(brand))

export const TenantId = id("TenantId")
export type TenantId = typeof TenantId.Type
export const UserId = id("UserId")
export type UserId = typeof UserId.Type
export const LeadId = id("LeadId")
export type LeadId = typeof LeadId.Type
export const AgentId = id("AgentId")
export type AgentId = typeof AgentId.Type
export const CallId = id("CallId")
export type CallId = typeof CallId.Type
export const CampaignId = id("CampaignId")
export type CampaignId = typeof CampaignId.Type
export const LeadTypeId = id("LeadTypeId")
export type LeadTypeId = typeof LeadTypeId.Type
export const LeadStatusId = id("LeadStatusId")
export type LeadStatusId = typeof LeadStatusId.Type
export const DispositionId = id("DispositionId")
export type DispositionId = typeof DispositionId.Type
export const OfferId = id("OfferId")
export type OfferId = typeof OfferId.Type

/** A fresh random id of the given brand (UUID v4 text). */
export const newId = <A>(schema: { readonly make: (s: string) => A }): A => schema.make(crypto.randomUUID())

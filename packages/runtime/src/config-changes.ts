import type { Cadence, LeadStatusId, LeadTypeId, TenantId } from "@ringmaster/domain"
import { CampaignEntity, LeadEntity } from "@ringmaster/protocol"
import { setPriorityZero, tenantCampaignIds, upsertCadence, waitingLeadsOfStatus } from "@ringmaster/store"
import { Effect } from "effect"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { TenantConfigs } from "./tenant-configs.js"

/**
 * Leads of a status whose cadence changed or went: every waiting one is re-timed under the cadence as it is now (one
 * message to each lead's entity), and every campaign of the tenant moves its queued ones to the cadence's priority
 * (one message to each campaign, not one to each of its ready leads: a campaign may hold a million). Returns how many
 * waiting leads were re-timed.
 */
export const refreshStatusLeads = (input: {
  readonly tenantId: TenantId
  readonly statusId: LeadStatusId
  /** Leads re-timed at once (default 8). */
  readonly refreshConcurrency?: number
}) =>
  Effect.gen(function* () {
    const leads = yield* LeadEntity.client
    const campaigns = yield* CampaignEntity.client
    const waiting = yield* waitingLeadsOfStatus(input.tenantId, input.statusId)
    yield* Effect.forEach(waiting, (id) => orDieOnClusterFailure(leads(id).Refresh()), {
      concurrency: input.refreshConcurrency ?? 8,
      discard: true,
    })
    for (const id of yield* tenantCampaignIds(input.tenantId)) {
      yield* orDieOnClusterFailure(campaigns(id).CadenceChanged({ statusId: input.statusId }))
    }
    return waiting.length
  })

/**
 * A supervisor changed the cadence of a status (already validated): store it, drop the cached configuration, and
 * refresh the status's leads under it. Returns how many waiting leads were re-timed.
 */
export const changeCadence = (input: {
  readonly tenantId: TenantId
  readonly statusId: LeadStatusId
  readonly cadence: Cadence
  /** Leads re-timed at once (default 8); each is one message to that lead's entity. */
  readonly refreshConcurrency?: number
}) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    yield* upsertCadence(input.tenantId, input.statusId, input.cadence)
    yield* configs.invalidate(input.tenantId)
    return yield* refreshStatusLeads(input)
  })

/**
 * A supervisor switched priority 0 of a lead type: store it, drop the cached configuration, and tell every
 * campaign of the tenant so its queued leads of that type move at once. False when the type is not the tenant's
 * (nothing changed).
 */
export const changePriorityZero = (input: {
  readonly tenantId: TenantId
  readonly leadTypeId: LeadTypeId
  readonly priorityZero: boolean
}) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    const campaigns = yield* CampaignEntity.client
    const changed = yield* setPriorityZero(input.tenantId, input.leadTypeId, input.priorityZero)
    if (!changed) return false
    yield* configs.invalidate(input.tenantId)
    const ids = yield* tenantCampaignIds(input.tenantId)
    yield* Effect.forEach(
      ids,
      (id) =>
        orDieOnClusterFailure(
          campaigns(id).PriorityZeroChanged({ leadTypeId: input.leadTypeId, priorityZero: input.priorityZero }),
        ),
      { discard: true },
    )
    return true
  })

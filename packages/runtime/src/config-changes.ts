import type { Cadence, LeadStatusId, LeadTypeId, TenantId } from "@ringmaster/domain"
import { CampaignEntity, LeadEntity } from "@ringmaster/protocol"
import { leadsAffectedByCadence, setPriorityZero, tenantCampaignIds, upsertCadence } from "@ringmaster/store"
import { Effect } from "effect"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { TenantConfigs } from "./tenant-configs.js"

/**
 * A supervisor changed the cadence of a status (already validated): store it, drop the cached configuration,
 * then have every lead of that status that waits or sits in a queue re-timed under it. Returns how many leads
 * were refreshed.
 */
export const changeCadence = (input: {
  readonly tenantId: TenantId
  readonly statusId: LeadStatusId
  readonly cadence: Cadence
  /** Leads refreshed at once (default 8); each refresh is one message to that lead's entity. */
  readonly refreshConcurrency?: number
}) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    const leads = yield* LeadEntity.client
    yield* upsertCadence(input.tenantId, input.statusId, input.cadence)
    yield* configs.invalidate(input.tenantId)
    const affected = yield* leadsAffectedByCadence(input.tenantId, input.statusId)
    yield* Effect.forEach(affected, (id) => orDieOnClusterFailure(leads(id).Refresh()), {
      concurrency: input.refreshConcurrency ?? 8,
      discard: true,
    })
    return affected.length
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

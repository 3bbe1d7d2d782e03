import type { Cadence, LeadStatusId, LeadTypeId, TenantId } from "@ringmaster/domain"
import { CampaignEntity, LeadEntity } from "@ringmaster/protocol"
import { setPriorityZero, tenantCampaignIds, upsertCadence, waitingLeadsOfStatus } from "@ringmaster/store"
import { Effect } from "effect"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { TenantConfigs } from "./tenant-configs.js"

/**
 * A supervisor changed the cadence of a status (already validated): store it, drop the cached configuration,
 * have every waiting lead of that status re-timed under it (one message to each lead's entity), and every campaign
 * of the tenant move its queued leads of that status to the cadence's priority (one message to each campaign, not
 * one to each of its ready leads: a campaign may hold a million). Returns how many waiting leads were re-timed.
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
    const campaigns = yield* CampaignEntity.client
    yield* upsertCadence(input.tenantId, input.statusId, input.cadence)
    yield* configs.invalidate(input.tenantId)
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

import type { DncStoppedLead } from "@ringmaster/store"
import { CampaignEntity } from "@ringmaster/protocol"
import { Effect } from "effect"
import { orDieOnClusterFailure } from "../cluster-errors.js"

/**
 * Takes leads stopped for the do-not-call list (`stopLeadsOnDnc`) out of their campaigns' queues. Call it once the
 * transaction that stopped them has committed: a campaign that offered one meanwhile finds it no longer ready, and
 * one that missed this (its runner stopped) finds the same when it offers it.
 */
export const dequeueDncStopped = (stopped: ReadonlyArray<DncStoppedLead>) =>
  Effect.gen(function* () {
    if (stopped.length === 0) return
    const campaigns = yield* CampaignEntity.client
    yield* Effect.forEach(
      stopped,
      (lead) => orDieOnClusterFailure(campaigns(lead.campaignId).Dequeue({ leadId: lead.leadId })),
      { discard: true },
    )
  })

import { SqlClient } from "@effect/sql"
import { CampaignEntity } from "@ringmaster/protocol"
import { campaignsWithIdleWork } from "@ringmaster/store"
import { Effect, Layer } from "effect"
import { tellEveryInterval } from "./background-round.js"

export interface CampaignWatchOptions {
  /** How often each runner looks (default 5 s): a campaign lost with its runner is back within this of its shard. */
  readonly intervalMs?: number
}

/**
 * Brings back campaigns lost with their runner. A campaign comes back from its rows on its next message, but when its
 * runner dies or stops, the next message may be long in coming: its agents can sit free on other runners beside a
 * ready backlog, and the dials it had under way may have gone with the process. Every round, one statement finds the
 * campaigns (not paused) that have a free agent and a ready lead, and each is sent a pacing tick; the cluster
 * delivers it wherever the campaign's shard now lives. To a campaign at work the tick only re-paces or re-offers.
 */
export const CampaignWatchLive = (options: CampaignWatchOptions = {}) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const intervalMs = options.intervalMs ?? 5_000
      const campaigns = yield* CampaignEntity.client
      const sql = yield* SqlClient.SqlClient

      const idle = campaignsWithIdleWork.pipe(Effect.provideService(SqlClient.SqlClient, sql))
      yield* tellEveryInterval("CampaignWatch.round", intervalMs, idle, (campaignId) =>
        campaigns(campaignId).PaceTick(undefined, { discard: true }),
      )
    }),
  )

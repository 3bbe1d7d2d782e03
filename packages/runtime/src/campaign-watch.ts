import { SqlClient } from "@effect/sql"
import { CampaignEntity } from "@ringmaster/protocol"
import { campaignsWithIdleWork } from "@ringmaster/store"
import { Clock, Effect, Layer } from "effect"
import { tellEveryInterval } from "./background-round.js"
import { LOST_WORD_GRACE_MS, OFFER_ARRIVAL_GRACE_MS } from "./campaign-entity.js"

export interface CampaignWatchOptions {
  /** How often each runner looks (default 5 s): a campaign lost with its runner is back within this of its shard. */
  readonly intervalMs?: number
}

/**
 * Brings back campaigns lost with their runner. A campaign comes back from its rows on its next message, but when its
 * runner dies or stops, the next message may be long in coming: its agents can sit free on other runners beside a
 * ready backlog, and the dials it had under way may have gone with the process. Every round, one statement finds the
 * campaigns (not paused) that have a free agent and a ready lead (or an offer long expired but still open), and
 * each is told so; the cluster delivers it wherever the campaign's shard now lives. A campaign at work re-reads which
 * of its agents are free, which of its offers were lost and, with free agents and nothing queued, which leads are
 * ready (an agent's word that it was free, an offer on its way to an agent or a lead's word that it was ready can be
 * lost with the runner that carried it), then re-paces or re-offers.
 */
export const CampaignWatchLive = (options: CampaignWatchOptions = {}) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const intervalMs = options.intervalMs ?? 5_000
      const campaigns = yield* CampaignEntity.client
      const sql = yield* SqlClient.SqlClient

      const idle = Clock.currentTimeMillis.pipe(
        Effect.flatMap((now) =>
          campaignsWithIdleWork({ before: now - LOST_WORD_GRACE_MS, sentBefore: now - OFFER_ARRIVAL_GRACE_MS, now }),
        ),
        Effect.provideService(SqlClient.SqlClient, sql),
      )
      yield* tellEveryInterval("CampaignWatch.round", intervalMs, idle, ({ campaignId, freeAgentIds }) =>
        campaigns(campaignId).FreeAgentsWaiting({ agentIds: freeAgentIds }, { discard: true }),
      )
    }),
  )

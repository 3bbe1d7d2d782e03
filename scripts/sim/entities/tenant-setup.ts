import { SqlClient } from "@effect/sql"
import { CampaignId, E164 } from "@ringmaster/domain"
import type { CampaignPacing, SeededTenant } from "@ringmaster/store"
import { setPriorityZero, updateCampaignSettings, upsertCadence } from "@ringmaster/store"
import { Effect } from "effect"
import type { SimOptions } from "../options.js"
import type { EntityStrategyName } from "./options.js"

/** How the Campaign entity is set for each strategy: its pacing, and the preset ratio where there is one. */
export const campaignPacing: Readonly<
  Record<EntityStrategyName, { readonly pacing: CampaignPacing; readonly dialRatio: number }>
> = {
  progressive: { pacing: "preset", dialRatio: 1 },
  "fixed-2.0": { pacing: "preset", dialRatio: 2 },
  ours: { pacing: "adaptive", dialRatio: 2 },
}

/**
 * The seeded tenant made into the simulated day's: its "New" status retried every `retryMs` up to `maxAttempts`
 * dials (then "Unreachable", which has no cadence: the lead is done), new leads of the "Pre-closed" type at priority
 * 0 (dialed before the backlog, as the model does), and the campaign on the auto-dialer with the strategy's pacing.
 * To be done before the campaign entity first activates, so that it starts from these settings.
 */
export const prepareTenant = (tenant: SeededTenant, options: SimOptions, strategy: EntityStrategyName, now: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* upsertCadence(tenant.tenantId, tenant.statuses.new, {
      delaysMs: Array.from({ length: options.maxAttempts - 1 }, () => options.retryMs),
      priority: 1,
      finalStatusId: tenant.statuses.unreachable,
      maxAttempts: options.maxAttempts,
    })
    yield* setPriorityZero(tenant.tenantId, tenant.leadTypes.preClosed, true)
    const { pacing, dialRatio } = campaignPacing[strategy]
    const [campaign] = yield* sql<{ callerId: string; abandonMessage: string }>`
      SELECT caller_id, abandon_message FROM campaigns WHERE id = ${tenant.campaignId}`
    if (campaign === undefined) return yield* Effect.dieMessage(`no campaign ${tenant.campaignId}`)
    yield* updateCampaignSettings(
      tenant.tenantId,
      CampaignId.make(tenant.campaignId),
      {
        name: "Intake",
        mode: "auto",
        dialRatio,
        pacing,
        amdMode: "detect",
        maxLines: options.maxLines,
        amdNotSure: "human",
        machineMessage: null,
        abandonMessage: campaign.abandonMessage,
        callerId: E164.make(campaign.callerId),
      },
      now,
    )
  })

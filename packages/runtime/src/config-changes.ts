import {
  type Cadence,
  type LeadId,
  type LeadStatusId,
  type LeadTypeId,
  retimeWaitingLead,
  type TenantId,
} from "@ringmaster/domain"
import { CampaignEntity, LeadEntity } from "@ringmaster/protocol"
import {
  type LeadRetime,
  type MovedLead,
  retimeWaitingLeads,
  setPriorityZero,
  tenantCampaignIds,
  upsertCadence,
  type WaitingLead,
  waitingLeadsOfStatus,
} from "@ringmaster/store"
import { Clock, Effect } from "effect"
import { asBackgroundWork } from "./background-work.js"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { nextAttemptTimer } from "./lead-entity.js"
import { TenantConfigs } from "./tenant-configs.js"

/** Waiting leads read and re-timed in one statement each. */
const RETIME_PAGE = 2_000
/** Timers of re-timed leads stored at once, in the background. */
const TIMER_CONCURRENCY = 16

/** A lead status of a tenant. */
export interface StatusOfTenant {
  readonly tenantId: TenantId
  readonly statusId: LeadStatusId
}

/**
 * Whether a re-timed lead needs a timer for its new attempt time. Its old timer still fires at the old time: one
 * for an earlier time than the new one re-arms the lead for the new time then (see the Lead entity's `Wake`), so
 * only a lead brought forward, or one already overdue, needs its timer now.
 */
const needsTimerNow = (lead: MovedLead, now: number): boolean =>
  lead.after !== null && (lead.before === null || lead.after < lead.before || lead.before <= now)

/**
 * Leads of a status whose cadence changed or went: every waiting one is re-timed under the cadence as it is now,
 * a page of leads to a statement, and those brought forward are given their timer (or admitted when due now) in the
 * background, the soonest first; every campaign of the tenant moves its queued ones to the cadence's priority (one
 * message to each campaign, not one to each of its ready leads: a campaign may hold a million). Returns how many
 * waiting leads were re-timed.
 */
export const refreshStatusLeads = (input: StatusOfTenant) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    const leads = yield* LeadEntity.client
    const campaigns = yield* CampaignEntity.client
    const config = yield* configs.get(input.tenantId)
    const now = yield* Clock.currentTimeMillis
    const cadenceOf = (statusId: LeadStatusId) => config.cadences.get(statusId)
    const toArm: Array<MovedLead> = []
    let retimed = 0
    let afterId: LeadId | null = null
    for (;;) {
      const page: ReadonlyArray<WaitingLead> = yield* waitingLeadsOfStatus({
        tenantId: input.tenantId,
        statusId: input.statusId,
        afterId,
        limit: RETIME_PAGE,
      })
      const retimes = page.flatMap((lead): Array<LeadRetime> => {
        const next = retimeWaitingLead({ ...lead, cadenceOf, enteredAt: lead.createdAt, now })
        if (next.statusId === lead.statusId && next.nextAttemptAt === lead.nextAttemptAt) return []
        return [{ lead, next, statusName: config.statuses.get(next.statusId)?.name ?? next.statusId }]
      })
      const moved = yield* retimeWaitingLeads({ retimes, reason: "cadence changed", now })
      retimed += moved.length
      for (const lead of moved) if (needsTimerNow(lead, now)) toArm.push(lead)
      const last = page.at(-1)
      if (last === undefined || page.length < RETIME_PAGE) break
      afterId = last.id
    }
    // The timers are armed after the answer, the soonest first: a page of leads re-times in one statement, but each
    // timer is a stored message of its own (about 1,400 a second on this machine). A runner that stops meanwhile
    // leaves the rest to the sweep of overdue leads.
    toArm.sort((a, b) => (a.after ?? 0) - (b.after ?? 0))
    yield* Effect.forkDaemon(
      Effect.forEach(
        toArm,
        ({ id, after }) =>
          orDieOnClusterFailure(
            after !== null && after > now
              ? leads(id).Wake(nextAttemptTimer(id, after), { discard: true })
              : leads(id).AdmitNow({ leadId: id }),
          ),
        { concurrency: TIMER_CONCURRENCY, discard: true },
      ).pipe(
        Effect.catchAllCause((cause) =>
          Effect.logWarning("Re-timed leads left to the sweep of overdue leads: arming their timers failed", cause),
        ),
        asBackgroundWork("CadenceEdit.armTimers"),
      ),
    )
    for (const id of yield* tenantCampaignIds(input.tenantId)) {
      yield* orDieOnClusterFailure(campaigns(id).CadenceChanged({ statusId: input.statusId }))
    }
    return retimed
  })

/**
 * A supervisor changed the cadence of a status (already validated): store it, drop the cached configuration, and
 * refresh the status's leads under it. Returns how many waiting leads were re-timed.
 */
export const changeCadence = (input: StatusOfTenant & { readonly cadence: Cadence }) =>
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

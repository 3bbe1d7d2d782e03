import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { CampaignEntity, LeadEntity } from "@ringmaster/protocol"
import { type SeededTenant, seedTenant } from "@ringmaster/store"
import { Clock, Effect } from "effect"

/**
 * Work the runtime does once it is up: seed the demo tenant when asked, and hand every lead that is due to its Lead
 * entity in the background (a lead written just before a crash may have missed its admission), then wake every
 * campaign so that its queue is loaded and agents already Online receive offers.
 */
export const startUp = (options: { readonly demo: boolean; readonly demoLeads: number }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const sharding = yield* Sharding.Sharding
    const leads = yield* Effect.provideService(LeadEntity.client, Sharding.Sharding, sharding)
    const campaigns = yield* Effect.provideService(CampaignEntity.client, Sharding.Sharding, sharding)
    const now = yield* Clock.currentTimeMillis
    let demo: SeededTenant | null = null
    if (options.demo) {
      demo = yield* seedTenant({
        key: "demo",
        name: "Demo Law Group",
        agentCount: 2,
        leadCount: options.demoLeads,
        inboundNumber: "+14155550199",
        logins: true,
        operator: true,
        now,
      })
    }
    // Leads due by now that may have missed their admission; later ones have their timer armed already. After a long
    // stop they can be many: they are handed over in the background, so that the doors open at once.
    const dueBy = (yield* Clock.currentTimeMillis) + 1_000
    const due = yield* sql<{ id: string }>`SELECT id FROM leads WHERE stage = 'waiting' AND next_attempt_at <= ${dueBy}`
    // One that cannot be handed over now is left to the sweep of overdue leads; the others go on.
    const handOver = (id: string) =>
      leads(id)
        .Refresh()
        .pipe(
          Effect.catchAllCause((cause) => Effect.logWarning(`lead ${id}: left to the sweep of overdue leads`, cause)),
        )
    yield* Effect.forEach(due, (l) => handOver(l.id), { concurrency: 16, discard: true }).pipe(Effect.forkScoped)
    const active = yield* sql<{ id: string }>`SELECT id FROM campaigns WHERE NOT paused`
    yield* Effect.forEach(active, (c) => campaigns(c.id).Stats().pipe(Effect.orDie), { discard: true })
    return demo
  })

import { MessageStorage, RunnerHealth, Runners, RunnerStorage, Sharding, ShardingConfig } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { SimulatedCarrier } from "@ringmaster/carrier"
import { AgentEntity, CampaignEntity, LeadEntity } from "@ringmaster/protocol"
import { AgentPush, clusterTimings, RuntimeLive } from "@ringmaster/runtime"
import { insertLead, seedTenant } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { LeadId, newId, E164 } from "@ringmaster/domain"
import { Clock, Effect, Layer, TestClock, TestContext, Fiber, Duration } from "effect"

const cluster = Sharding.layer.pipe(
  Layer.provideMerge(Runners.layerNoop),
  Layer.provideMerge(MessageStorage.layerMemory),
  Layer.provide([RunnerStorage.layerMemory, RunnerHealth.layerNoop]),
  Layer.provide(ShardingConfig.layer(clusterTimings)),
)
const world = RuntimeLive.pipe(
  Layer.provideMerge(AgentPush.layerLocal),
  Layer.provideMerge(SimulatedCarrier.layer({ ringMs: { min: 5, max: 5 }, talkMs: { min: 1e9, max: 1e9 } })),
  Layer.provideMerge(cluster),
)

const t0 = () => performance.now()

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "60 seconds" })("spike", (it) => {
  it.effect("works", () =>
    Effect.gen(function* () {
      for (let run = 0; run < 2; run++) {
        const start = t0()
        yield* Effect.scoped(
          Effect.gen(function* () {
            const ctx = yield* Layer.build(world)
            console.log("built", t0() - start, yield* Clock.currentTimeMillis)
            const seeded = yield* seedTenant({ key: `t${run}`, name: "T", agentCount: 3, leadCount: 0, now: 0 })
            console.log("seeded", t0() - start)
            const go = Effect.gen(function* () {
              const agents = yield* AgentEntity.client
              const leads = yield* LeadEntity.client
              const campaign = yield* CampaignEntity.client
              const a0 = seeded.agents[0]!.agentId
              const v = yield* agents(a0).SetState({ state: "Online", source: "agent" })
              console.log("online", t0() - start, v.state)
              const id = newId(LeadId)
              const sql = yield* SqlClient.SqlClient
              yield* sql.withTransaction(insertLead({ id, tenantId: seeded.tenantId, campaignId: seeded.campaignId, leadTypeId: seeded.leadTypes.injury, statusId: seeded.statuses.new, name: "x", phone: E164.make("+14155552671"), email: null, notes: "", now: yield* Clock.currentTimeMillis }))
              yield* leads(id).Admit({ leadId: id })
              console.log("admitted", t0() - start)
              const st = yield* campaign(seeded.campaignId).Stats()
              const v2 = yield* agents(a0).View()
              console.log("view", t0() - start, v2.pendingOffer?.offerId, st)
              const v3 = yield* agents(a0).View()
              console.log("view3", t0() - start, v3.pendingOffer?.offerId)
            })
            const f = yield* Effect.fork(go.pipe(Effect.provide(ctx)))
            for (let i = 0; i < 100 && f.unsafePoll() === null; i++) {
              yield* TestClock.adjust(Duration.millis(100))
              yield* Effect.promise(() => new Promise((r) => setTimeout(r, 1)))
            }
            console.log("clock", yield* Clock.currentTimeMillis)
            yield* Fiber.join(f)
            const agents = yield* AgentEntity.client.pipe(Effect.provide(ctx))
            console.log("after", JSON.stringify(yield* agents(seeded.agents[0]!.agentId).View().pipe(Effect.provide(ctx))))
          }).pipe(Effect.provide(TestContext.TestContext)),
        )
        console.log("run", run, t0() - start)
      }
      expect(1).toBe(1)
    }),
  )
})

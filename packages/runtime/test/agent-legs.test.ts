/**
 * Agents' own legs with the auto-dialer on, on the real entities in an in-memory cluster and the simulated carrier:
 * an agent going Online gets its leg dialled and is given a person only once the leg is answered; the person is
 * bridged to that leg, which outlives the person's hangup; Offline hangs it up; a leg that drops or cannot be dialled
 * is dialled again while the agent gets nobody; agents of a manual campaign get no leg.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import {
  type BridgeOptions,
  Carrier,
  CarrierError,
  type DialRequest,
  SimulatedCarrier,
  SimulatedCarrierControl,
} from "@ringmaster/carrier"
import { type AgentId, DispositionId, LeadId } from "@ringmaster/domain"
import { AgentEntity, CampaignEntity } from "@ringmaster/protocol"
import { demoLegEndpoint } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Clock, Effect, Layer } from "effect"
import { makeWorld, type World } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let tenants = 0
const nextKey = () => `lg${Date.now().toString(36)}t${++tenants}`

/** What the runtime asked of the carrier, and the far ends' controls. */
interface CarrierSpy {
  readonly dials: Array<DialRequest>
  readonly bridges: Array<{
    readonly a: string
    readonly b: string
    readonly options: BridgeOptions | undefined
    /** On the world's clock. */
    readonly at: number
  }>
  readonly hangups: Array<string>
  /** The next this many dials of agents' legs are refused. */
  failLegDials: number
  control: SimulatedCarrierControl["Type"] | null
}

/**
 * Every customer call rings 1 s and greets 1 s, then AMD says human; the person talks for an hour. Agents' legs
 * answer after the simulated carrier's 200 ms.
 */
const spiedNetwork = (spy: CarrierSpy, idPrefix: string) =>
  Layer.effect(
    Carrier,
    Effect.gen(function* () {
      const carrier = yield* Carrier
      spy.control = yield* SimulatedCarrierControl
      return Carrier.of({
        ...carrier,
        dial: (req) =>
          Effect.suspend(() => {
            spy.dials.push(req)
            if (req.purpose === "agent-leg" && spy.failLegDials > 0) {
              spy.failLegDials -= 1
              return Effect.fail(
                new CarrierError({ operation: "dial", message: "the softphone is unreachable", retryable: true }),
              )
            }
            return carrier.dial(req)
          }),
        bridge: (a, b, options) =>
          Effect.gen(function* () {
            spy.bridges.push({ a, b, options, at: yield* Clock.currentTimeMillis })
            return yield* carrier.bridge(a, b, options)
          }),
        hangup: (carrierCallId) =>
          Effect.suspend(() => {
            spy.hangups.push(carrierCallId)
            return carrier.hangup(carrierCallId)
          }),
      })
    }),
  ).pipe(
    Layer.provide(
      SimulatedCarrier.layer({
        // As by default a person answers every call (AMD is right); fixed times make the tests' instants exact.
        ringMs: { min: 1_000, max: 1_000 },
        greetingMs: { min: 1_000, max: 1_000 },
        talkMs: { min: 3_600_000, max: 3_600_000 },
        idPrefix,
      }),
    ),
  )

const legWorld = (options: { readonly agentCount: number; readonly mode: "auto" | "manual" }, failLegDials = 0) =>
  Effect.gen(function* () {
    const key = nextKey()
    const spy: CarrierSpy = { dials: [], bridges: [], hangups: [], failLegDials, control: null }
    const world = yield* makeWorld({
      key,
      agentCount: options.agentCount,
      start,
      settings: { callingHoursStart: 0, callingHoursEnd: 24 },
      carrier: spiedNetwork(spy, key),
    })
    const sql = yield* SqlClient.SqlClient
    const agents = yield* world.run(AgentEntity.client)
    const campaign = (yield* world.run(CampaignEntity.client))(world.tenant.campaignId)
    if (options.mode === "auto") {
      yield* sql`UPDATE campaigns SET mode = 'auto', pacing = 'preset', dial_ratio = 1
        WHERE id = ${world.tenant.campaignId}`.pipe(Effect.orDie)
      yield* world.run(campaign.SettingsChanged())
      yield* world.settle
    }
    const control = spy.control
    if (control === null) return yield* Effect.dieMessage("the carrier was not built")
    return { world, spy, sql, agents, campaign, control }
  })

/** Moves the clock on by `ms`, a tenth of a second at a time (the carrier's timers and the pacing run on it). */
const addLead = (world: World, n: number) =>
  world.createLead({
    id: LeadId.make(`${world.tenant.tenantId}-lead-${n}`),
    leadTypeId: world.tenant.leadTypes.injury,
    phone: `+1415555${String(2600 + n).padStart(4, "0")}`,
  })

const agentRow = (world: World, agentId: AgentId) =>
  Effect.gen(function* () {
    const row = (yield* world.read).agents.get(agentId)
    if (row === undefined) return yield* Effect.dieMessage(`no agent ${agentId}`)
    return row
  })

const legDials = (spy: CarrierSpy) => spy.dials.filter((d) => d.purpose === "agent-leg")
const customerDials = (spy: CarrierSpy) => spy.dials.filter((d) => d.purpose !== "agent-leg")

/** The carrier's id of the customer leg of each automatic dial, oldest first. */
const customerLegs = (sql: SqlClient.SqlClient, world: World) =>
  sql<{ carrierCallId: string | null }>`SELECT carrier_call_id FROM calls
    WHERE tenant_id = ${world.tenant.tenantId} AND auto_dialed ORDER BY created_at, id`.pipe(
    Effect.orDie,
    Effect.map((rows) => rows.map((r) => r.carrierCallId)),
  )

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("agents' legs", (it) => {
  it.scoped("an agent going Online gets its leg dialled, and is given a person only once the leg is answered", () =>
    Effect.gen(function* () {
      const { world, spy, agents, campaign } = yield* legWorld({ agentCount: 1, mode: "auto" })
      const agentId = world.agentIds[0] as AgentId
      yield* addLead(world, 0)
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.settle

      expect(legDials(spy).map((d) => [d.to, d.amd, d.from])).toEqual([
        [demoLegEndpoint(agentId), "disabled", "+14155550100"],
      ])
      expect((yield* agentRow(world, agentId)).leg?.phase).toBe("Dialing")
      expect((yield* world.run(agents(agentId).View())).leg, "the console shows it").toEqual({
        phase: "Dialing",
        retryAt: null,
      })
      expect((yield* world.run(campaign.Stats())).availableAgents, "not free while its leg rings").toBe(0)
      expect(customerDials(spy), "nobody is dialled for an agent without a ready leg").toHaveLength(0)

      yield* world.runFor(300, 100)
      expect((yield* agentRow(world, agentId)).leg?.phase).toBe("Up")
      expect((yield* world.run(agents(agentId).View())).leg).toEqual({ phase: "Up", retryAt: null })
      expect(customerDials(spy), "the leg is up: the lead is dialled").toHaveLength(1)

      yield* world.runFor(2_500, 100)
      const view = yield* world.run(agents(agentId).View())
      expect([view.state, view.call?.phase]).toEqual(["OnCall", "Bridged"])
    }),
  )

  it.scoped("a person who answers is bridged to the agent's leg; their hangup leaves the leg up for the next", () =>
    Effect.gen(function* () {
      const { world, spy, sql, agents, control } = yield* legWorld({ agentCount: 1, mode: "auto" })
      const agentId = world.agentIds[0] as AgentId
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.runFor(300, 100)
      const leg = (yield* agentRow(world, agentId)).leg?.carrierCallId
      if (leg == null) return yield* Effect.dieMessage("the agent's leg was not dialled")

      yield* addLead(world, 0)
      yield* world.runFor(2_500, 100)
      const [first] = yield* customerLegs(sql, world)
      expect(spy.bridges.map(({ a, b, options }) => [a, b, options?.keepOtherUp])).toEqual([[first, leg, true]])
      // The leg is ready: the person is bridged as soon as AMD says human, not after dialling anyone.
      const [human] = yield* sql<{ at: number }>`SELECT e.at FROM call_events e JOIN calls c ON c.id = e.call_id
        WHERE c.carrier_call_id = ${first ?? ""} AND e.kind = 'MachineDetectionEnded'`.pipe(Effect.orDie)
      const delay = Number(spy.bridges[0]?.at) - Number(human?.at)
      expect(delay).toBeLessThanOrEqual(100)

      // The person hangs up: the agent wraps up, and its leg stays up.
      yield* control.remoteHangup(first ?? "")
      yield* world.runFor(500, 100)
      const wrapping = yield* world.run(agents(agentId).View())
      expect([wrapping.state, wrapping.call?.phase]).toEqual(["WrapUp", "Ended"])
      expect((yield* agentRow(world, agentId)).leg).toMatchObject({ carrierCallId: leg, phase: "Up" })
      expect(spy.hangups).not.toContain(leg)
      expect(yield* control.activeCalls, "only the agent's leg is still up").toBe(1)

      // The next person is bridged to the same leg, with no new dial of it.
      const noAnswer = DispositionId.make(`${world.tenant.tenantId}-disposition-no-answer`)
      yield* world.run(agents(agentId).SubmitOutcome({ dispositionId: noAnswer }))
      yield* addLead(world, 1)
      yield* world.runFor(2_500, 100)
      const [, second] = yield* customerLegs(sql, world)
      expect(spy.bridges.map(({ a, b }) => [a, b])).toEqual([
        [first, leg],
        [second, leg],
      ])
      expect(legDials(spy)).toHaveLength(1)
    }),
  )

  it.scoped("going Offline hangs the agent's leg up", () =>
    Effect.gen(function* () {
      const { world, spy, agents, control } = yield* legWorld({ agentCount: 1, mode: "auto" })
      const agentId = world.agentIds[0] as AgentId
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.runFor(300, 100)
      const leg = (yield* agentRow(world, agentId)).leg?.carrierCallId
      expect(yield* control.activeCalls).toBe(1)

      yield* world.run(agents(agentId).SetState({ state: "Offline", source: "agent" }))
      yield* world.runFor(300, 100)
      expect(spy.hangups).toEqual([leg])
      expect((yield* agentRow(world, agentId)).leg).toBeNull()
      expect(yield* control.activeCalls).toBe(0)
    }),
  )

  it.scoped("a leg that drops is dialled again; meanwhile the agent is told and is given nobody", () =>
    Effect.gen(function* () {
      const { world, spy, sql, agents, campaign, control } = yield* legWorld({ agentCount: 1, mode: "auto" })
      const agentId = world.agentIds[0] as AgentId
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.runFor(300, 100)
      const oldLeg = (yield* agentRow(world, agentId)).leg?.carrierCallId
      yield* world.drainPushes

      // A person is being dialled when the agent's leg drops.
      yield* addLead(world, 0)
      yield* world.runFor(100, 100)
      expect(customerDials(spy)).toHaveLength(1)
      yield* control.remoteHangup(oldLeg ?? "")
      yield* world.runFor(100, 100)
      expect((yield* agentRow(world, agentId)).leg?.phase).toBe("Down")
      expect((yield* world.run(campaign.Stats())).availableAgents).toBe(0)
      const pushes = (yield* world.drainPushes).get(agentId) ?? []
      expect(pushes.some((m) => m._tag === "Failure" && m.code === "agent-leg-down")).toBe(true)
      // Its console's last snapshot shows the line down, and when it is dialled again (2 s after the drop).
      const droppedAt = world.clock.unsafeCurrentTimeMillis()
      const shown = pushes.filter((m) => m._tag === "AgentSnapshot").at(-1)
      const legShown = shown?._tag === "AgentSnapshot" ? shown.agent.leg : undefined
      expect(legShown?.phase).toBe("Down")
      expect(legShown?.retryAt).toBeGreaterThan(droppedAt)
      expect(legShown?.retryAt).toBeLessThanOrEqual(droppedAt + 2_000)

      // The person answers (2 s after the dial) while the leg is down: nobody is connected to them yet.
      yield* world.runFor(1_850, 100)
      const waiting = yield* world.run(agents(agentId).View())
      expect([waiting.state, waiting.call]).toEqual(["Online", null])
      expect(spy.bridges).toHaveLength(0)

      // 2 s after the drop the leg is dialled again; once it answers the person waiting gets the agent.
      yield* world.runFor(1_000, 100)
      const newLeg = (yield* agentRow(world, agentId)).leg
      expect(legDials(spy)).toHaveLength(2)
      expect(newLeg?.phase).toBe("Up")
      expect(newLeg?.carrierCallId).not.toBe(oldLeg)
      const [person] = yield* customerLegs(sql, world)
      expect(spy.bridges.map(({ a, b }) => [a, b])).toEqual([[person, newLeg?.carrierCallId]])
      expect((yield* world.run(agents(agentId).View())).state).toBe("OnCall")
    }),
  )

  it.scoped(
    "a leg the carrier refuses to dial is dialled again after a growing wait; nobody is dialled meanwhile",
    () =>
      Effect.gen(function* () {
        const { world, spy, agents, campaign } = yield* legWorld({ agentCount: 1, mode: "auto" }, 2)
        const agentId = world.agentIds[0] as AgentId
        yield* addLead(world, 0)
        yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
        yield* world.settle
        expect((yield* agentRow(world, agentId)).leg?.phase).toBe("Down")
        const pushes = (yield* world.drainPushes).get(agentId) ?? []
        expect(pushes.filter((m) => m._tag === "Failure").map((m) => m._tag === "Failure" && m.code)).toEqual([
          "agent-leg-down",
        ])

        // Refused again 2 s later, then dialled and answered 4 s after that.
        yield* world.runFor(2_100, 100)
        expect(legDials(spy)).toHaveLength(2)
        yield* world.runFor(3_800, 100)
        expect(legDials(spy)).toHaveLength(2)
        expect(customerDials(spy)).toHaveLength(0)
        expect((yield* world.run(campaign.Stats())).availableAgents).toBe(0)
        yield* world.runFor(500, 100)
        expect(legDials(spy)).toHaveLength(3)
        expect((yield* agentRow(world, agentId)).leg?.phase).toBe("Up")
        expect(customerDials(spy)).toHaveLength(1)
      }),
  )

  it.scoped("agents of a manual campaign get no leg", () =>
    Effect.gen(function* () {
      const { world, spy, agents } = yield* legWorld({ agentCount: 1, mode: "manual" })
      const agentId = world.agentIds[0] as AgentId
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* addLead(world, 0)
      yield* world.settle
      const offered = yield* world.run(agents(agentId).View())
      if (offered.pendingOffer === null) return yield* Effect.dieMessage("no offer")
      yield* world.run(agents(agentId).Accept({ offerId: offered.pendingOffer.offerId }))
      yield* world.runFor(2_500, 100)

      const view = yield* world.run(agents(agentId).View())
      expect([view.state, view.call?.phase]).toEqual(["OnCall", "Answered"])
      expect(legDials(spy)).toHaveLength(0)
      expect(spy.dials).toHaveLength(1)
      expect(spy.bridges).toHaveLength(0)
      expect((yield* agentRow(world, agentId)).leg).toBeNull()
    }),
  )

  it.scoped(
    "an agent already Online gets its leg when the auto-dialer is turned on, and loses it when turned off",
    () =>
      Effect.gen(function* () {
        const { world, spy, sql, agents, campaign } = yield* legWorld({ agentCount: 1, mode: "manual" })
        const agentId = world.agentIds[0] as AgentId
        yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
        yield* sql`UPDATE campaigns SET mode = 'auto', pacing = 'preset', dial_ratio = 1
        WHERE id = ${world.tenant.campaignId}`.pipe(Effect.orDie)
        yield* world.run(campaign.SettingsChanged())
        yield* world.settle
        expect(legDials(spy)).toHaveLength(1)
        expect((yield* world.run(campaign.Stats())).availableAgents).toBe(0)
        yield* world.runFor(300, 100)
        const leg = (yield* agentRow(world, agentId)).leg
        expect(leg?.phase).toBe("Up")
        expect((yield* world.run(campaign.Stats())).availableAgents).toBe(1)

        yield* sql`UPDATE campaigns SET mode = 'manual' WHERE id = ${world.tenant.campaignId}`.pipe(Effect.orDie)
        yield* world.run(campaign.SettingsChanged())
        yield* world.settle
        expect(spy.hangups).toContain(leg?.carrierCallId)
        expect((yield* agentRow(world, agentId)).leg).toBeNull()
      }),
  )

  it.scoped("a changed endpoint is dialled at the next Online, and a cleared one drops the leg at once", () =>
    Effect.gen(function* () {
      const { world, spy, sql, agents } = yield* legWorld({ agentCount: 1, mode: "auto" })
      const agentId = world.agentIds[0] as AgentId
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.runFor(300, 100)
      yield* world.run(agents(agentId).SetState({ state: "Offline", source: "agent" }))
      yield* world.settle
      // The entity stays active with its row in memory; the endpoint changes in the database meanwhile.
      yield* sql`UPDATE agents SET leg_endpoint = '+14155550199' WHERE id = ${agentId}`.pipe(Effect.orDie)
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.runFor(300, 100)
      expect(legDials(spy).map((d) => d.to)).toEqual([demoLegEndpoint(agentId), "+14155550199"])
      const leg = (yield* agentRow(world, agentId)).leg
      expect(leg?.phase).toBe("Up")

      yield* sql`UPDATE agents SET leg_endpoint = NULL WHERE id = ${agentId}`.pipe(Effect.orDie)
      yield* world.run(agents(agentId).SyncLeg())
      yield* world.settle
      expect(spy.hangups).toContain(leg?.carrierCallId)
      expect((yield* agentRow(world, agentId)).leg).toBeNull()
    }),
  )
})

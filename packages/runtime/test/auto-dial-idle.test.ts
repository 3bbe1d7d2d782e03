/**
 * An automatic call whose Call entity leaves memory (an idle minute, or its process going away) while a closing
 * message plays or while the person waits for an agent: when the entity comes back it reads from the call's row
 * what it was doing, so the person is hung up on when the message ends, the dial is reported once, and a person
 * left waiting is abandoned (counted) or connected, never left in silence.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type Carrier, type SimulatedCarrierConfig } from "@ringmaster/carrier"
import { LeadId } from "@ringmaster/domain"
import { AgentEntity, CampaignEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect, type Layer } from "effect"
import { autoDialNetwork } from "./support/auto-dial-network.js"
import { makeWorld, type World } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let tenants = 0
const nextKey = () => `ai${Date.now().toString(36)}t${++tenants}`

/** 70 ms a character on the simulated carrier: this message plays for 84 s, longer than an entity's idle minute. */
const longMessage = `${"Sorry we missed you, please call us back. ".repeat(28)}`.slice(0, 1_200)

/** Every call rings 1 s; the far end greets for 1 s, then AMD tells; a person talks and a machine records for long. */
const network = (outcome: Partial<SimulatedCarrierConfig>) =>
  autoDialNetwork(outcome, { idPrefix: "idle", voicemailMs: 600_000 })

/** Moves the world's clock on half a second at a time (the pacing heartbeat and the carrier's timers run on it). */
const autoWorld = (input: {
  readonly agents: number
  readonly carrier: Layer.Layer<Carrier>
  readonly dialRatio: number
  readonly idle: Duration.Duration
  readonly leads: number
  /** Moves the clock on this long before the leads arrive. */
  readonly leadsAfter?: number
}) =>
  Effect.gen(function* () {
    const world = yield* makeWorld({
      key: nextKey(),
      agentCount: input.agents,
      start,
      settings: { callingHoursStart: 0, callingHoursEnd: 24 },
      carrier: input.carrier,
      entityMaxIdleTime: input.idle,
    })
    const sql = yield* SqlClient.SqlClient
    const agents = yield* world.run(AgentEntity.client)
    yield* world.run(
      Effect.forEach(world.agentIds, (id) => agents(id).SetState({ state: "Online", source: "agent" }), {
        discard: true,
      }),
    )
    yield* sql`UPDATE campaigns SET mode = 'auto', pacing = 'preset', dial_ratio = ${input.dialRatio},
        abandon_message = ${longMessage}, machine_message = ${longMessage}
      WHERE id = ${world.tenant.campaignId}`.pipe(Effect.orDie)
    const campaign = (yield* world.run(CampaignEntity.client))(world.tenant.campaignId)
    yield* world.run(campaign.SettingsChanged())
    yield* world.settle
    if (input.leadsAfter !== undefined) yield* world.runFor(input.leadsAfter, 500)
    yield* Effect.forEach(
      Array.from({ length: input.leads }, (_, i) => i),
      (i) =>
        world.createLead({
          id: LeadId.make(`${world.tenant.tenantId}-lead-${i}`),
          leadTypeId: world.tenant.leadTypes.injury,
          phone: `+1415555${String(2700 + i).padStart(4, "0")}`,
        }),
      { discard: true },
    )
    return { world, sql }
  })

interface DialRow {
  readonly id: string
  readonly phase: string
  readonly dialResult: string | null
  readonly abandonedAt: number | null
  readonly endedAt: number | null
  readonly hangupCause: string | null
}

const dials = (sql: SqlClient.SqlClient, world: World) =>
  sql<DialRow>`SELECT id, phase, dial_result, abandoned_at, ended_at, hangup_cause FROM calls
    WHERE tenant_id = ${world.tenant.tenantId} AND auto_dialed ORDER BY created_at, id`.pipe(Effect.orDie)

/** When the closing message of `callId` ended, by the carrier's event. */
const speakEndedAt = (sql: SqlClient.SqlClient, callId: string) =>
  sql<{ at: number }>`SELECT at FROM call_events WHERE call_id = ${callId} AND kind = 'SpeakEnded'`.pipe(
    Effect.orDie,
    Effect.map((rows) => rows.map((r) => Number(r.at))),
  )

const leadAttempts = (sql: SqlClient.SqlClient, world: World) =>
  sql<{ attempts: number }>`SELECT attempts FROM leads WHERE tenant_id = ${world.tenant.tenantId}`.pipe(
    Effect.orDie,
    Effect.map((rows) => rows.map((r) => r.attempts)),
  )

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })(
  "an automatic call whose entity left memory",
  (it) => {
    it.scoped("hangs up on an abandoned person when the 84 s abandonment message ends, and reports the dial once", () =>
      Effect.gen(function* () {
        const { world, sql } = yield* autoWorld({
          agents: 1,
          carrier: network({ human: 1 }),
          dialRatio: 3,
          idle: Duration.minutes(1),
          leads: 3,
        })
        yield* world.runFor(10_000, 500)
        const abandoned = (yield* dials(sql, world)).filter((d) => d.dialResult === "abandoned")
        expect(abandoned, "3 people answer for 1 agent").toHaveLength(2)
        expect(
          abandoned.every((d) => d.phase !== "Ended"),
          "still hearing the message",
        ).toBe(true)

        // The message plays for 84 s: no message reaches the Call entities for more than their idle minute.
        yield* world.runFor(90_000, 500)
        for (const d of (yield* dials(sql, world)).filter((row) => row.abandonedAt !== null)) {
          const [ended] = yield* speakEndedAt(sql, d.id)
          expect(ended, `the message on ${d.id} played to its end`).toBeDefined()
          expect([d.phase, d.dialResult, d.hangupCause]).toEqual(["Ended", "abandoned", "normal_clearing"])
          // Hung up on from our side at the end of the message, not an hour later by the person.
          expect(Number(d.endedAt) - Number(ended)).toBeLessThan(2_000)
        }
        // Each lead counts its one attempt: the abandoned ones are not reported a second time at the hang-up.
        expect((yield* leadAttempts(sql, world)).sort()).toEqual([0, 1, 1])
      }),
    )

    it.scoped("hangs up on a machine when the 84 s message left on it ends", () =>
      Effect.gen(function* () {
        const { world, sql } = yield* autoWorld({
          agents: 1,
          carrier: network({ machine: 1 }),
          dialRatio: 1,
          idle: Duration.minutes(1),
          leads: 1,
        })
        yield* world.runFor(100_000, 500)
        const [dial] = yield* dials(sql, world)
        expect(dial).toBeDefined()
        const [ended] = yield* speakEndedAt(sql, dial?.id ?? "")
        expect(ended, "the message played to its end").toBeDefined()
        expect([dial?.phase, dial?.dialResult]).toEqual(["Ended", "machine"])
        expect(Number(dial?.endedAt) - Number(ended)).toBeLessThan(2_000)
        expect(yield* leadAttempts(sql, world)).toEqual([1])
      }),
    )

    it.scoped("abandons and counts a person left waiting when no agent comes within 2 s", () =>
      Effect.gen(function* () {
        // Every entity may leave memory after half a second without a message; the cluster looks for idle ones
        // every 5 s. Starting the dials at each half second of that cycle puts a look inside someone's 2 s wait, so
        // a Call entity is away while its person waits and comes back for its abandonment timer.
        for (let offset = 0; offset < 5_000; offset += 500) {
          const { world, sql } = yield* autoWorld({
            agents: 1,
            carrier: network({ human: 1 }),
            dialRatio: 3,
            idle: Duration.millis(500),
            leads: 3,
            leadsAfter: offset,
          })
          yield* world.runFor(10_000, 500)
          const rows = yield* dials(sql, world)
          expect(rows.map((d) => d.dialResult).sort(), `dials started ${offset} ms into the cycle`).toEqual([
            "abandoned",
            "abandoned",
            "connected",
          ])
          expect(rows.filter((d) => d.abandonedAt !== null)).toHaveLength(2)
        }
      }),
    )

    it.scoped("does not dial again for the same agents when the campaign comes back while its dials ring", () =>
      Effect.gen(function* () {
        // Nobody answers: every dial rings 20 s. With entities leaving memory after half a second, the campaign
        // (whose pacing heartbeat runs every second) leaves memory between two beats at one of the cluster's looks,
        // every 5 s, while its two dials ring; a look at its figures brings it back.
        const { world, sql } = yield* autoWorld({
          agents: 2,
          carrier: network({ noAnswer: 1 }),
          dialRatio: 1,
          idle: Duration.millis(500),
          leads: 6,
        })
        const campaign = (yield* world.run(CampaignEntity.client))(world.tenant.campaignId)
        yield* world.runFor(3_000, 500)
        expect((yield* dials(sql, world)).length, "one dial per free agent at 1:1").toBe(2)
        for (let waited = 0; waited < 12_000; waited += 1_000) {
          yield* world.runFor(1_000, 500)
          const stats = yield* world.run(campaign.Stats())
          expect(stats.dialing, `${waited + 4_000} ms in: the campaign counts the two dials ringing`).toBe(2)
          yield* world.settle
        }
        const live = (yield* dials(sql, world)).filter((d) => d.phase !== "Ended")
        expect(live.length, "still two calls for two agents").toBe(2)
      }),
    )
  },
)

/**
 * A number put on the do-not-call list may not be dialled (the gate refuses it); its leads must not be offered to
 * agents either, wherever they are when it happens: queued, waiting for their next attempt, or in a call.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { E164, type AgentId, type LeadId } from "@ringmaster/domain"
import { dequeueDncStopped, TenantConfigs } from "@ringmaster/runtime"
import { findLead, listOnDnc } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Option } from "effect"
import { makeTelephonyWorld, type TelephonyWorld } from "../support/telephony-world.js"

let worlds = 0
const nextKey = () => `dncs${Date.now().toString(36)}w${++worlds}`
const minute = 60_000

/** What `POST /dnc` does: the entry, and the leads it stops, in one transaction; then out of the queue. */
const putOnList = (world: TelephonyWorld, phone: string) =>
  world
    .run(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const now = Date.UTC(2025, 0, 6, 17, 0, 0)
        const input = { tenantId: world.tenant.tenantId, phone: E164.make(phone), leadId: null, now }
        const { stopped } = yield* sql.withTransaction(listOnDnc({ ...input, source: "internal", reason: null }))
        yield* dequeueDncStopped(stopped)
        return stopped
      }),
    )
    .pipe(Effect.orDie)

const leadRow = (world: TelephonyWorld, leadId: LeadId) =>
  world.run(findLead(leadId)).pipe(Effect.orDie, Effect.map(Option.getOrThrow))

const firstAgent = (world: TelephonyWorld): AgentId => {
  const [agentId] = world.agentIds
  if (agentId === undefined) throw new Error("one agent")
  return agentId
}

/** The agent is offered the lead, accepts (the dial goes out), and hangs up: in wrap-up with it. */
const callAndHangUp = (world: TelephonyWorld, agentId: AgentId, leadId: LeadId) =>
  Effect.gen(function* () {
    expect((yield* world.view(agentId)).pendingOffer?.lead.id).toBe(leadId)
    yield* world.acceptPending(agentId)
    yield* world.advance(3_000)
    yield* world.hangup(agentId)
    yield* world.advance(1_000)
  })

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })(
  "leads on the do-not-call list",
  (it) => {
    it.effect("a queued lead leaves the queue at once and is never offered; the other leads are", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const world = yield* makeTelephonyWorld({ key: nextKey(), agentCount: 1 })
          const agentId = firstAgent(world)
          const listed = yield* world.createLead(1, "+14155554301")
          const other = yield* world.createLead(2, "+14155554302")
          const stopped = yield* putOnList(world, "+14155554301")
          expect(stopped.map((s) => s.leadId)).toEqual([listed])
          expect(yield* leadRow(world, listed)).toMatchObject({ stage: "terminal", nextAttemptAt: null })
          expect(yield* world.leadHistory(listed)).toContain("stopped-do-not-call")

          yield* world.setState(agentId, "Online")
          expect((yield* world.view(agentId)).pendingOffer?.lead.id).toBe(other)
          expect(yield* leadRow(world, other)).toMatchObject({ stage: "offered" })
        }),
      ),
    )

    it.effect("a lead in a call when its number is listed waits for its next attempt, then stops instead", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const world = yield* makeTelephonyWorld({ key: nextKey(), agentCount: 1 })
          const agentId = firstAgent(world)
          yield* world.setState(agentId, "Online")
          const leadId = yield* world.createLead(1, "+14155554311")
          yield* callAndHangUp(world, agentId, leadId)
          // listed while in the call: a lead in a call is left to its outcome
          expect(yield* putOnList(world, "+14155554311")).toEqual([])
          yield* world.submitOutcome(agentId, "Call back later")
          expect(yield* leadRow(world, leadId)).toMatchObject({ stage: "waiting" })

          yield* world.advance(31 * minute)
          expect(yield* leadRow(world, leadId)).toMatchObject({ stage: "terminal", nextAttemptAt: null })
          expect(yield* world.leadHistory(leadId)).toContain("stopped-do-not-call")
          expect((yield* world.view(agentId)).pendingOffer).toBeNull()
        }),
      ),
    )

    it.effect("a lead whose outcome would queue it again at once stops with the outcome", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const key = nextKey()
          const world = yield* makeTelephonyWorld({ key, agentCount: 1 })
          const agentId = firstAgent(world)
          // "No answer" follows the cadence of "New", whose next attempt is now due at once
          yield* world
            .run(
              Effect.gen(function* () {
                const sql = yield* SqlClient.SqlClient
                yield* sql`UPDATE cadences SET delays_ms = '[0, 0, 0]'::jsonb WHERE status_id = ${`${key}-status-new`}`
                yield* (yield* TenantConfigs).invalidate(world.tenant.tenantId)
              }),
            )
            .pipe(Effect.orDie)
          yield* world.setState(agentId, "Online")
          const leadId = yield* world.createLead(1, "+14155554321")
          yield* callAndHangUp(world, agentId, leadId)
          yield* putOnList(world, "+14155554321")
          yield* world.submitOutcome(agentId, "No answer")

          expect(yield* leadRow(world, leadId)).toMatchObject({ stage: "terminal", nextAttemptAt: null })
          expect((yield* world.view(agentId)).pendingOffer).toBeNull()
          const outcome = yield* world
            .run(
              Effect.flatMap(
                SqlClient.SqlClient,
                (sql) => sql<{ detail: { onDoNotCallList?: boolean } }>`SELECT detail FROM lead_events
              WHERE lead_id = ${leadId} AND kind = 'outcome'`,
              ),
            )
            .pipe(Effect.orDie)
          expect(outcome.map((e) => e.detail.onDoNotCallList)).toEqual([true])
        }),
      ),
    )

    it.effect("a verbal opt-out stops the other leads at the same number too", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const world = yield* makeTelephonyWorld({ key: nextKey(), agentCount: 1 })
          const agentId = firstAgent(world)
          yield* world.setState(agentId, "Online")
          const first = yield* world.createLead(1, "+14155554331")
          yield* callAndHangUp(world, agentId, first)
          // the same person came in again through another form while the agent talked to them
          const again = yield* world.createLead(2, "+14155554331")
          expect(yield* leadRow(world, again)).toMatchObject({ stage: "ready" })

          yield* world.submitOutcome(agentId, "Not interested", { doNotCall: true })
          expect(yield* leadRow(world, again)).toMatchObject({ stage: "terminal" })
          expect(yield* world.leadHistory(again)).toContain("stopped-do-not-call")
          expect(yield* world.view(agentId)).toMatchObject({ state: "Online", pendingOffer: null })
        }),
      ),
    )
  },
)

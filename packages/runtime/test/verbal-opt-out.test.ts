/**
 * A verbal opt-out (DOMAIN.md, "Do not call"): the person asks on the call not to be called again, the agent records
 * the outcome with "do not call", and the number goes on the tenant's do-not-call list at once, with the outcome.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { E164, type AgentId, type LeadId } from "@ringmaster/domain"
import { DialGate, TenantConfigs } from "@ringmaster/runtime"
import { findLead, listDncEntries } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Either, Option } from "effect"
import { makeTelephonyWorld, type TelephonyWorld } from "./support/telephony-world.js"

let worlds = 0
const nextKey = () => `vopt${Date.now().toString(36)}w${++worlds}`

/** The one Online agent is offered the lead, accepts (the dial goes out), hangs up: she is in wrap-up with it. */
const callAndHangUp = (world: TelephonyWorld, agentId: AgentId, n: number, phone: string) =>
  Effect.gen(function* () {
    const leadId = yield* world.createLead(n, phone)
    expect((yield* world.view(agentId)).pendingOffer?.lead.id).toBe(leadId)
    yield* world.acceptPending(agentId)
    yield* world.advance(3_000)
    yield* world.hangup(agentId)
    yield* world.advance(1_000)
    expect(yield* world.view(agentId)).toMatchObject({ state: "WrapUp", workingLeadId: leadId })
    return leadId
  })

const leadRow = (world: TelephonyWorld, leadId: LeadId) =>
  world.run(findLead(leadId)).pipe(Effect.orDie, Effect.map(Option.getOrThrow))

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("verbal opt-out", (it) => {
  it.effect(
    "puts the number on the do-not-call list with the outcome, ends the lead, and the next dial to it is refused",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const key = nextKey()
          const world = yield* makeTelephonyWorld({ key, agentCount: 1 })
          const [agentId] = world.agentIds
          if (agentId === undefined) return yield* Effect.dieMessage("one agent")
          yield* world.setState(agentId, "Online")
          const phone = E164.make("+14155554201")
          const leadId = yield* callAndHangUp(world, agentId, 1, phone)

          // "Call back later" would plan another attempt: the opt-out overrides it
          const after = yield* world.submitOutcome(agentId, "Call back later", { doNotCall: true })
          expect(after).toMatchObject({ state: "Online", workingLeadId: null })

          const entries = yield* world
            .run(listDncEntries(world.tenant.tenantId, { phone, limit: 10 }))
            .pipe(Effect.orDie)
          expect(entries.map((e) => ({ phone: e.phone, leadId: e.leadId, source: e.source }))).toEqual([
            { phone, leadId, source: "opt-out-verbal" },
          ])
          const lead = yield* leadRow(world, leadId)
          expect(lead).toMatchObject({ stage: "terminal", nextAttemptAt: null, statusId: `${key}-status-callback` })
          const history = yield* world.leadHistory(leadId)
          expect(history).toContain("opted-out")
          expect(history).toContain("outcome")

          // another lead with the same number, and the same lead, are both refused at the gate
          const decide = (forLead: LeadId) =>
            world.run(
              Effect.flatMap(DialGate, (gate) =>
                gate.check({ tenantId: world.tenant.tenantId, leadId: forLead, phone, agentId, callId: null }),
              ),
            )
          expect(yield* decide(leadId).pipe(Effect.orDie)).toMatchObject({ _tag: "Blocked", reason: "dnc-number" })
          // a new lead at that number (the person filled in a form again) is stopped as it comes in, not offered
          const otherLeadId = yield* world.createLead(2, phone)
          expect(yield* leadRow(world, otherLeadId)).toMatchObject({ stage: "terminal" })
          expect(yield* world.leadHistory(otherLeadId)).toContain("stopped-do-not-call")
          expect((yield* world.view(agentId)).pendingOffer).toBeNull()
          expect(yield* decide(otherLeadId).pipe(Effect.orDie)).toMatchObject({ _tag: "Blocked", reason: "dnc-number" })
        }),
      ),
  )

  it.effect("is taken for a priority-0 lead whose status would not change, which is refused without it", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const world = yield* makeTelephonyWorld({ key: nextKey(), agentCount: 1 })
        const [agentId] = world.agentIds
        if (agentId === undefined) return yield* Effect.dieMessage("one agent")
        yield* world
          .run(
            Effect.gen(function* () {
              const sql = yield* SqlClient.SqlClient
              yield* sql`UPDATE lead_types SET priority_zero = true WHERE tenant_id = ${world.tenant.tenantId}`
              yield* (yield* TenantConfigs).invalidate(world.tenant.tenantId)
            }),
          )
          .pipe(Effect.orDie)
        yield* world.setState(agentId, "Online")
        const leadId = yield* callAndHangUp(world, agentId, 1, "+14155554202")

        const refused = yield* Effect.either(world.submitOutcome(agentId, "No answer"))
        expect(Either.isLeft(refused) ? String((refused.left as { code?: string }).code) : "taken").toBe(
          "priority-zero-needs-status-change",
        )
        yield* world.submitOutcome(agentId, "No answer", { doNotCall: true })
        expect(yield* leadRow(world, leadId)).toMatchObject({ stage: "terminal", nextAttemptAt: null })
        expect(yield* world.leadHistory(leadId)).toContain("opted-out")
      }),
    ),
  )
})

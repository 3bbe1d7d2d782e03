/**
 * One notification shown to many agents who all answer at the same moment: the distributor's mailbox makes
 * exactly one of them win, the lead is assigned once, and everyone else is back to Online with nothing pending.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, LeadId, type OfferId } from "@ringmaster/domain"
import { AgentEntity, type AgentView, CommandRefused } from "@ringmaster/protocol"
import { fromJson } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Either, FastCheck as fc } from "effect"
import { stateViolations } from "./support/invariants.js"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)

let tenants = 0
const nextKey = () => `ca${Date.now().toString(36)}t${++tenants}`

interface Answered {
  readonly agentId: AgentId
  readonly answer: "Accept" | "Ignore"
  readonly result: Either.Either<AgentView, unknown>
}

/**
 * A tenant with `agentCount` agents, all Online, and one lead offered to all of them at once; then each agent
 * answers as `answers` says, all at the same moment. Returns what each got and the system afterwards.
 */
const offerToAllThenAnswer = (agentCount: number, answers: (index: number) => "Accept" | "Ignore") =>
  Effect.scoped(
    Effect.gen(function* () {
      const world = yield* makeWorld({
        key: nextKey(),
        agentCount,
        start,
        settings: {
          notificationRecipients: agentCount,
          notificationTimeoutMs: 30_000,
          callingHoursStart: 0,
          callingHoursEnd: 24,
        },
      })
      const agents = yield* world.run(AgentEntity.client)
      yield* world.run(
        Effect.forEach(world.agentIds, (id) => agents(id).SetState({ state: "Online", source: "agent" }), {
          concurrency: 8,
          discard: true,
        }),
      )
      yield* world.settle
      const leadId = LeadId.make(`${world.tenant.tenantId}-lead-1`)
      yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552671" })
      yield* world.settle

      const shown = yield* world.run(Effect.forEach(world.agentIds, (id) => agents(id).View()))
      const offerIds = new Set(shown.map((v) => v.pendingOffer?.offerId))
      expect(offerIds.size, "every agent shows the same notification").toBe(1)
      const [offerId] = offerIds
      if (offerId === undefined) return yield* Effect.dieMessage("no agent was notified")

      const answered: ReadonlyArray<Answered> = yield* world.run(
        Effect.all(
          world.agentIds.map((agentId, i) => {
            const answer = answers(i)
            const agent = agents(agentId)
            const sent = answer === "Accept" ? agent.Accept({ offerId }) : agent.Ignore({ offerId })
            return Effect.map(Effect.either(sent), (result): Answered => ({ agentId, answer, result }))
          }),
          { concurrency: "unbounded" },
        ),
      )
      yield* world.settle

      const sql = yield* SqlClient.SqlClient
      const offerRows = yield* sql<{ id: string; state: string; resolvedBy: string | null; agentIds: unknown }>`
        SELECT id, state, resolved_by, agent_ids FROM offers WHERE lead_id = ${leadId}`.pipe(Effect.orDie)
      const views = yield* world.run(Effect.forEach(world.agentIds, (id) => agents(id).View()))
      const real = yield* world.read
      return { leadId, offerId: offerId as OfferId, answered, offerRows, views, real }
    }),
  )

const refusalCode = (result: Either.Either<AgentView, unknown>) =>
  Either.isLeft(result) && result.left instanceof CommandRefused ? result.left.code : undefined

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })(
  "one notification, many agents",
  (it) => {
    it.effect(
      "50 agents accept at the same moment: exactly one wins, the lead is assigned once, 49 are Online again",
      () =>
        Effect.gen(function* () {
          const { leadId, offerId, answered, offerRows, views, real } = yield* offerToAllThenAnswer(50, () => "Accept")

          const winners = answered.filter((a) => Either.isRight(a.result))
          expect(winners).toHaveLength(1)
          const winner = winners[0]?.agentId
          const losers = answered.filter((a) => a.agentId !== winner)
          // A loser hears "lost" from the distributor, or finds the notification already withdrawn.
          for (const l of losers) expect(["offer-lost", "no-such-offer"]).toContain(refusalCode(l.result))

          const lead = real.leads.get(leadId)
          expect(lead?.stage).toBe("in_call")
          expect(lead?.assignedAgentId).toBe(winner)

          expect(offerRows).toHaveLength(1)
          expect(offerRows[0]).toMatchObject({ id: offerId, state: "accepted", resolvedBy: winner })
          expect(fromJson<Array<string>>(offerRows[0]?.agentIds)).toHaveLength(50)

          for (const view of views) {
            if (view.agentId === winner) {
              expect(view).toMatchObject({ state: "OnCall", pendingOffer: null, workingLeadId: leadId })
            } else {
              expect(view).toMatchObject({ state: "Online", pendingOffer: null, workingLeadId: null, call: null })
              expect(real.agents.get(view.agentId)).toMatchObject({ state: "Online", pendingOffer: null })
            }
          }
          expect(stateViolations(real)).toEqual([])
        }),
      120_000,
    )

    it.effect.prop(
      "whoever of the notified agents accept or ignore at once, one acceptor wins and nobody keeps the notification",
      [
        fc
          .integer({ min: 2, max: 12 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.constantFrom("Accept" as const, "Ignore" as const), { minLength: n, maxLength: n }),
              fc.nat({ max: n - 1 }),
            ),
          ),
      ],
      ([[n, choices, surelyAccepts]]) =>
        Effect.gen(function* () {
          const answerOf = (i: number) => (i === surelyAccepts ? "Accept" : (choices[i] ?? "Accept"))
          const { leadId, answered, offerRows, views, real } = yield* offerToAllThenAnswer(n, answerOf)

          const winners = answered.filter((a) => a.answer === "Accept" && Either.isRight(a.result))
          expect(winners).toHaveLength(1)
          const winner = winners[0]?.agentId
          expect(real.leads.get(leadId)).toMatchObject({ stage: "in_call", assignedAgentId: winner })
          expect(offerRows).toHaveLength(1)
          expect(offerRows[0]).toMatchObject({ state: "accepted", resolvedBy: winner })

          for (const a of answered) {
            if (a.agentId === winner) continue
            // An acceptor who lost is Online again; an ignorer whose ignore landed before the notification was
            // withdrawn is Busy (ignoring costs the agent), otherwise it was refused and the agent is Online.
            if (a.answer === "Accept") expect(["offer-lost", "no-such-offer"]).toContain(refusalCode(a.result))
            const view = views.find((v) => v.agentId === a.agentId)
            expect(view?.pendingOffer).toBeNull()
            expect(view?.state).toBe(a.answer === "Ignore" && Either.isRight(a.result) ? "Busy" : "Online")
          }
          expect(stateViolations(real)).toEqual([])
        }),
      { fastCheck: { numRuns: 12 } },
    )
  },
)

/**
 * Inbound and outbound are independent (DOMAIN.md): when the carrier's outbound commands fail, inbound calls still
 * ring, get answered and reach an agent; when the inbound path fails, agents still get outbound leads and dial them.
 * Whole runtime in one in-memory cluster, on a simulated carrier whose commands the tests break.
 */
import { expect, layer } from "@effect/vitest"
import type { AgentId } from "@ringmaster/domain"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Either } from "effect"
import { makeTelephonyWorld, type TelephonyWorld } from "./support/telephony-world.js"

let worlds = 0
const nextKey = () => `iso${Date.now().toString(36)}w${++worlds}`

const ringTimeoutMs = 20_000

const online = (world: TelephonyWorld) =>
  Effect.forEach(world.agentIds, (id) => world.setState(id, "Online"), { discard: true })

/** The agents holding a notification right now. */
const notified = (world: TelephonyWorld) =>
  Effect.filter(world.agentIds, (id) => Effect.map(world.view(id), (view) => view.pendingOffer !== null))

const only = <A>(items: ReadonlyArray<A>, what: string): A => {
  expect(items, what).toHaveLength(1)
  const [item] = items
  if (item === undefined) throw new Error(`no ${what}`)
  return item
}

/** An outbound lead offered to one Online agent, who accepts it: the dial goes out. Returns who took it. */
const offerAndAccept = (world: TelephonyWorld, n: number, phone: string) =>
  Effect.gen(function* () {
    const leadId = yield* world.createLead(n, phone)
    const agentId: AgentId = only(yield* notified(world), "agent offered the lead")
    expect((yield* world.view(agentId)).pendingOffer?.lead.id).toBe(leadId)
    yield* world.acceptPending(agentId)
    return { agentId, leadId }
  })

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })(
  "inbound and outbound isolation",
  (it) => {
    it.effect(
      "with every dial failing (carrier down for outbound), inbound calls ring every free agent, are answered, and " +
        "reach the first agent to answer",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const world = yield* makeTelephonyWorld({
              key: nextKey(),
              agentCount: 3,
              settings: { inboundRingTimeoutMs: ringTimeoutMs },
            })
            yield* online(world)
            yield* world.faults.breakCommands(["dial"])

            // A manual dial fails: the agent is told and goes to wrap-up with the lead, nothing is stuck dialling.
            const failed = yield* offerAndAccept(world, 1, "+14155554001")
            const afterFailure = yield* world.view(failed.agentId)
            expect(afterFailure).toMatchObject({ state: "WrapUp", workingLeadId: failed.leadId })
            expect(afterFailure.call?.phase).toBe("Ended")
            expect((yield* world.faults.sent).filter((c) => c.command === "dial").map((c) => c.failed)).toEqual([true])

            // An inbound call rings the two free agents; the first to answer takes it, the other ring is withdrawn.
            const { callId } = yield* world.callIn("+14155554100")
            const rung = yield* notified(world)
            expect([...rung].sort()).toEqual(world.agentIds.filter((id) => id !== failed.agentId).sort())
            const [first, second] = rung
            if (first === undefined || second === undefined) return yield* Effect.dieMessage("two agents must ring")
            const taken = yield* world.acceptPending(first)
            expect(taken).toMatchObject({ state: "OnCall", pendingOffer: null })
            expect(taken.call).toMatchObject({ callId, phase: "Answered" })
            expect((yield* world.view(second)).pendingOffer).toBeNull()
            const kinds = (yield* world.callLog(callId)).map((entry) => entry.kind)
            expect(kinds).toEqual(["CallInitiated", "CallAnswered"])

            // The call carries on and ends normally; the agent who failed to dial takes the next inbound call, from the
            // very lead the failed dial was for.
            yield* world.advance(ringTimeoutMs + 5_000)
            expect((yield* world.view(first)).call?.phase).toBe("Answered")
            yield* world.hangup(first)
            expect((yield* world.view(first)).state).toBe("WrapUp")
            yield* world.submitOutcome(failed.agentId, "No answer")
            expect((yield* world.view(failed.agentId)).state).toBe("Online")
            const next = yield* world.callIn("+14155554001")
            expect([...(yield* notified(world))].sort()).toEqual([failed.agentId, second].sort())
            const answered = yield* world.acceptPending(failed.agentId)
            expect(answered.call).toMatchObject({ callId: next.callId, phase: "Answered", leadId: failed.leadId })
            const sent = yield* world.faults.sent
            expect(sent.filter((c) => c.command === "answer").map((c) => c.failed)).toEqual([false, false])
          }),
        ),
      90_000,
    )

    it.effect(
      "with the inbound path failing (answers refused), agents are released from the ring and still get and dial " +
        "outbound leads",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const world = yield* makeTelephonyWorld({
              key: nextKey(),
              agentCount: 2,
              settings: { inboundRingTimeoutMs: ringTimeoutMs },
            })
            yield* online(world)
            yield* world.faults.breakCommands(["answer", "speak", "transfer"])

            const { callId, carrierCallId } = yield* world.callIn("+14155554200")
            const rung = yield* notified(world)
            expect(rung).toHaveLength(2)
            for (const agentId of rung) {
              const claimed = yield* Effect.either(world.acceptPending(agentId))
              expect(Either.isLeft(claimed), "an answer the carrier refused gives nobody the call").toBe(true)
              const view = yield* world.view(agentId)
              expect(view).toMatchObject({ state: "Online", pendingOffer: null, call: null, workingLeadId: null })
            }
            // Nobody could be connected: at the ring timeout the caller is let go and a callback task is left.
            yield* world.advance(ringTimeoutMs + 1_000)
            const toCaller = (yield* world.faults.sent).filter((c) => c.subject === carrierCallId)
            expect(toCaller.map((c) => `${c.command}:${c.failed ? "failed" : "ok"}`)).toEqual([
              "answer:failed",
              "answer:failed",
              "answer:failed",
              "hangup:ok",
            ])
            expect((yield* world.callLog(callId)).map((entry) => entry.kind)).toContain("CallHangup")

            // Outbound work goes on: the caller's lead is offered first, to call them back, then a new lead; each is
            // dialled, and the agent talks to the person.
            const callerLead = yield* world.leadOfCall(callId)
            const callingBack = only(yield* notified(world), "agent offered the caller's lead")
            expect((yield* world.view(callingBack)).pendingOffer?.lead.id).toBe(callerLead)
            yield* world.acceptPending(callingBack)
            const next = yield* offerAndAccept(world, 1, "+14155554201")
            for (const { agentId, leadId } of [{ agentId: callingBack, leadId: callerLead }, next]) {
              yield* world.advance(3_000)
              const view = yield* world.view(agentId)
              expect(view).toMatchObject({ state: "OnCall", workingLeadId: leadId })
              expect(view.call?.phase).toBe("Answered")
            }
            const dials = (yield* world.faults.sent).filter((c) => c.command === "dial")
            expect(dials.map((c) => c.failed)).toEqual([false, false])
          }),
        ),
      90_000,
    )
  },
)

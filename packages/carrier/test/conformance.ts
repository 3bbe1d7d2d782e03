import { describe, expect, it } from "@effect/vitest"
import { CallId, E164 } from "@ringmaster/domain"
import { type CarrierEvent, type DialTarget, type HangupCause, SipUri } from "@ringmaster/protocol"
import { Effect, Schema } from "effect"
import type { Layer, Scope } from "effect"
import { Carrier } from "../src/index.js"
import type { AmdMode, DialRequest, SpeakRequest } from "../src/index.js"
import { recordEvents } from "./event-log.js"
import type { EventLog } from "./event-log.js"

/** How the far end meets a dial. */
export type RemoteBehaviour = "human" | "machine" | "noAnswer" | "busy" | "disconnected"

/**
 * The far end of the telephone network, as each carrier implementation's test drives it: the simulated
 * carrier through its control, the Telnyx adapter through a fake Call Control server.
 */
export interface RemoteParty {
  /** Every later dial to `to` meets `behaviour`. */
  readonly arrange: (to: DialTarget, behaviour: RemoteBehaviour) => Effect.Effect<void>
  /** The far end hangs up. */
  readonly hangup: (carrierCallId: string) => Effect.Effect<void>
  /** Someone calls our number `to` from `from`. */
  readonly callIn: (input: {
    readonly from: E164
    readonly to: E164
  }) => Effect.Effect<{ readonly carrierCallId: string }>
  /** Lets the far end's time move on one step (a second on a TestClock, a short pause against a live fake). */
  readonly advance: Effect.Effect<void>
}

export interface ConformanceOptions {
  /** How many `advance` steps to wait for an expected event (default 600). */
  readonly maxSteps?: number
  /** How many `advance` steps to wait before concluding that an event will not come (default 15). */
  readonly quietSteps?: number
  /** Run on the live clock instead of the TestClock. */
  readonly liveClock?: boolean
}

type EventOf<T extends CarrierEvent["_tag"]> = Extract<CarrierEvent, { readonly _tag: T }>

interface Harness {
  readonly carrier: Carrier["Type"]
  readonly remote: RemoteParty
  readonly log: EventLog
  readonly awaitEvent: <T extends CarrierEvent["_tag"]>(
    carrierCallId: string,
    tag: T,
    log?: EventLog,
  ) => Effect.Effect<EventOf<T>>
  /** Advances until the far end would have done anything it was going to do. */
  readonly quiet: Effect.Effect<void>
  /** The distinct events of one call. */
  readonly eventsOf: (carrierCallId: string) => Effect.Effect<ReadonlyArray<CarrierEvent>>
}

const ourNumber = E164.make("+14155550100")
const farEnd = (n: number) => E164.make(`+1415555${String(2000 + n)}`)

const dialRequest = (n: number, amd: AmdMode = "detect"): DialRequest => ({
  callId: CallId.make(`conformance-call-${n}`),
  from: ourNumber,
  to: farEnd(n),
  amd,
  ringTimeoutSecs: 30,
  commandId: `conformance-command-${n}`,
})

const message = (n: number, text = `Message number ${n}: we will call you back soon.`): SpeakRequest => ({
  text,
  voice: "female",
  language: "en-US",
  commandId: `conformance-speak-${n}`,
})

/**
 * The behaviour every `Carrier` implementation must show. Each test gets a fresh `layer`; `remoteParty`
 * is built from it. Delivery may duplicate and reorder events, so the suite looks at distinct events
 * (by eventId) and never at their delivery order.
 */
export const carrierConformance = <R, E>(
  name: string,
  layer: Layer.Layer<Carrier | R, E>,
  remoteParty: Effect.Effect<RemoteParty, never, Carrier | R>,
  options: ConformanceOptions = {},
): void => {
  const maxSteps = options.maxSteps ?? 600
  const quietSteps = options.quietSteps ?? 15
  const test = options.liveClock === true ? it.live : it.effect

  const withHarness = <A, E2>(body: (harness: Harness) => Effect.Effect<A, E2, Scope.Scope>) =>
    Effect.gen(function* () {
      const carrier = yield* Carrier
      const remote = yield* remoteParty
      const log = yield* recordEvents(carrier.events)
      const awaitEvent = <T extends CarrierEvent["_tag"]>(carrierCallId: string, tag: T, from: EventLog = log) =>
        Effect.gen(function* () {
          for (let step = 0; step <= maxSteps; step++) {
            const events = yield* from.distinct
            const found = events.find(
              (event): event is EventOf<T> => event.carrierCallId === carrierCallId && event._tag === tag,
            )
            if (found !== undefined) return found
            yield* remote.advance
          }
          return yield* Effect.dieMessage(`no ${tag} for ${carrierCallId} after ${maxSteps} steps`)
        })
      const quiet = Effect.repeatN(remote.advance, quietSteps - 1)
      const eventsOf = (carrierCallId: string) =>
        Effect.map(log.distinct, (events) => events.filter((event) => event.carrierCallId === carrierCallId))
      return yield* body({ carrier, remote, log, awaitEvent, quiet, eventsOf })
    }).pipe(Effect.scoped, Effect.provide(layer))

  const tagsOf = (events: ReadonlyArray<CarrierEvent>) => events.map((event) => event._tag)

  const endsUnanswered = (n: number, behaviour: RemoteBehaviour, cause: HangupCause) =>
    test(`${behaviour}: the call ends with ${cause} and is never answered`, () =>
      withHarness(({ carrier, remote, awaitEvent, quiet, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(n)
          yield* remote.arrange(req.to, behaviour)
          const { carrierCallId } = yield* carrier.dial(req)
          const hangup = yield* awaitEvent(carrierCallId, "CallHangup")
          expect(hangup.cause).toBe(cause)
          expect(hangup.callId).toBe(req.callId)
          yield* quiet
          expect(tagsOf(yield* eventsOf(carrierCallId))).not.toContain("CallAnswered")
        }),
      ))

  describe(`Carrier conformance: ${name}`, () => {
    test("a human answers: initiated, answered, AMD says human, all with our callId; our hangup ends it normally", () =>
      withHarness(({ carrier, remote, awaitEvent, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(1)
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          const initiated = yield* awaitEvent(carrierCallId, "CallInitiated")
          expect([initiated.from, initiated.to, initiated.direction]).toEqual([req.from, req.to, "outbound"])
          const answered = yield* awaitEvent(carrierCallId, "CallAnswered")
          expect(answered.at).toBeGreaterThanOrEqual(initiated.at)
          expect((yield* awaitEvent(carrierCallId, "MachineDetectionEnded")).result).toBe("human")
          yield* carrier.hangup(carrierCallId)
          expect((yield* awaitEvent(carrierCallId, "CallHangup")).cause).toBe("normal_clearing")
          const events = yield* eventsOf(carrierCallId)
          expect(events.every((event) => event.callId === req.callId && event.direction === "outbound")).toBe(true)
        }),
      ))

    test("AMD recognises a machine and, with detect_beep, reports the end of its greeting", () =>
      withHarness(({ carrier, remote, awaitEvent }) =>
        Effect.gen(function* () {
          const req = dialRequest(2, "detect_beep")
          yield* remote.arrange(req.to, "machine")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          expect((yield* awaitEvent(carrierCallId, "MachineDetectionEnded")).result).toBe("machine")
          const greetingEnded = yield* awaitEvent(carrierCallId, "MachineGreetingEnded")
          expect(greetingEnded.callId).toBe(req.callId)
          yield* carrier.hangup(carrierCallId)
          yield* awaitEvent(carrierCallId, "CallHangup")
        }),
      ))

    test("with AMD disabled an answered call sends no detection event", () =>
      withHarness(({ carrier, remote, awaitEvent, quiet, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(3, "disabled")
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          yield* quiet
          yield* carrier.hangup(carrierCallId)
          yield* awaitEvent(carrierCallId, "CallHangup")
          expect(tagsOf(yield* eventsOf(carrierCallId))).not.toContain("MachineDetectionEnded")
        }),
      ))

    endsUnanswered(4, "noAnswer", "no_answer")
    endsUnanswered(5, "busy", "busy")
    endsUnanswered(6, "disconnected", "unallocated_number")

    test("cancelling a ringing call ends it with originator_cancel, and it is never answered", () =>
      withHarness(({ carrier, remote, awaitEvent, quiet, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(7)
          yield* remote.arrange(req.to, "noAnswer")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallInitiated")
          yield* carrier.cancel(carrierCallId)
          expect((yield* awaitEvent(carrierCallId, "CallHangup")).cause).toBe("originator_cancel")
          yield* quiet
          expect(tagsOf(yield* eventsOf(carrierCallId))).not.toContain("CallAnswered")
        }),
      ))

    test("the far end hanging up ends an answered call with normal_clearing", () =>
      withHarness(({ carrier, remote, awaitEvent }) =>
        Effect.gen(function* () {
          const req = dialRequest(8)
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          yield* remote.hangup(carrierCallId)
          const hangup = yield* awaitEvent(carrierCallId, "CallHangup")
          expect([hangup.cause, hangup.callId]).toEqual(["normal_clearing", req.callId])
        }),
      ))

    test("hangup and cancel of a call that has ended succeed and send no second hangup", () =>
      withHarness(({ carrier, remote, awaitEvent, quiet, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(9)
          yield* remote.arrange(req.to, "busy")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallHangup")
          yield* carrier.hangup(carrierCallId)
          yield* carrier.cancel(carrierCallId)
          yield* carrier.hangup(carrierCallId)
          yield* quiet
          const hangups = (yield* eventsOf(carrierCallId)).filter((event) => event._tag === "CallHangup")
          expect(hangups).toHaveLength(1)
        }),
      ))

    test("bridging two answered calls sends CallBridged on both legs, each naming the other", () =>
      withHarness(({ carrier, remote, awaitEvent }) =>
        Effect.gen(function* () {
          const first = dialRequest(10)
          const second = dialRequest(11)
          yield* remote.arrange(first.to, "human")
          yield* remote.arrange(second.to, "human")
          const a = yield* carrier.dial(first)
          const b = yield* carrier.dial(second)
          yield* awaitEvent(a.carrierCallId, "CallAnswered")
          yield* awaitEvent(b.carrierCallId, "CallAnswered")
          yield* carrier.bridge(a.carrierCallId, b.carrierCallId)
          const onA = yield* awaitEvent(a.carrierCallId, "CallBridged")
          const onB = yield* awaitEvent(b.carrierCallId, "CallBridged")
          expect([onA.otherCarrierCallId, onA.callId]).toEqual([b.carrierCallId, first.callId])
          expect([onB.otherCarrierCallId, onB.callId]).toEqual([a.carrierCallId, second.callId])
        }),
      ))

    test("bridged with keepOtherUp, the second leg outlives the first and can be bridged again; its end ends the next", () =>
      withHarness(({ carrier, remote, awaitEvent, quiet, eventsOf }) =>
        Effect.gen(function* () {
          const [customer, agentLeg, nextCustomer] = [dialRequest(24), dialRequest(25), dialRequest(26)]
          for (const req of [customer, agentLeg, nextCustomer]) yield* remote.arrange(req.to, "human")
          const a = yield* carrier.dial(customer)
          const leg = yield* carrier.dial(agentLeg)
          yield* awaitEvent(a.carrierCallId, "CallAnswered")
          yield* awaitEvent(leg.carrierCallId, "CallAnswered")
          yield* carrier.bridge(a.carrierCallId, leg.carrierCallId, { keepOtherUp: true })
          expect((yield* awaitEvent(leg.carrierCallId, "CallBridged")).otherCarrierCallId).toBe(a.carrierCallId)
          expect((yield* awaitEvent(a.carrierCallId, "CallBridged")).otherCarrierCallId).toBe(leg.carrierCallId)

          yield* remote.hangup(a.carrierCallId)
          yield* awaitEvent(a.carrierCallId, "CallHangup")
          yield* quiet
          expect(tagsOf(yield* eventsOf(leg.carrierCallId))).not.toContain("CallHangup")

          const b = yield* carrier.dial(nextCustomer)
          yield* awaitEvent(b.carrierCallId, "CallAnswered")
          yield* carrier.bridge(b.carrierCallId, leg.carrierCallId, { keepOtherUp: true })
          expect((yield* awaitEvent(b.carrierCallId, "CallBridged")).otherCarrierCallId).toBe(leg.carrierCallId)
          yield* carrier.hangup(leg.carrierCallId)
          expect((yield* awaitEvent(leg.carrierCallId, "CallHangup")).cause).toBe("normal_clearing")
          expect((yield* awaitEvent(b.carrierCallId, "CallHangup")).cause).toBe("normal_clearing")
        }),
      ))

    test("without keepOtherUp, either leg of a bridge hanging up ends the other", () =>
      withHarness(({ carrier, remote, awaitEvent }) =>
        Effect.gen(function* () {
          const [first, second] = [dialRequest(27), dialRequest(28)]
          for (const req of [first, second]) yield* remote.arrange(req.to, "human")
          const a = yield* carrier.dial(first)
          const b = yield* carrier.dial(second)
          yield* awaitEvent(a.carrierCallId, "CallAnswered")
          yield* awaitEvent(b.carrierCallId, "CallAnswered")
          yield* carrier.bridge(a.carrierCallId, b.carrierCallId)
          yield* awaitEvent(b.carrierCallId, "CallBridged")
          yield* remote.hangup(a.carrierCallId)
          expect((yield* awaitEvent(b.carrierCallId, "CallHangup")).cause).toBe("normal_clearing")
        }),
      ))

    test("an agent's leg to a SIP URI is answered, with no detection event, and names the URI", () =>
      withHarness(({ carrier, awaitEvent, quiet, eventsOf }) =>
        Effect.gen(function* () {
          const to = Schema.decodeSync(SipUri)("sip:conformance-agent@agents.example.com")
          const req: DialRequest = { ...dialRequest(29, "disabled"), to, purpose: "agent-leg" }
          const { carrierCallId } = yield* carrier.dial(req)
          const initiated = yield* awaitEvent(carrierCallId, "CallInitiated")
          expect([initiated.to, initiated.callId, initiated.direction]).toEqual([to, req.callId, "outbound"])
          yield* awaitEvent(carrierCallId, "CallAnswered")
          yield* quiet
          const tags = tagsOf(yield* eventsOf(carrierCallId))
          expect(tags).not.toContain("MachineDetectionEnded")
          expect(tags).not.toContain("CallHangup")
          yield* carrier.hangup(carrierCallId)
          expect((yield* awaitEvent(carrierCallId, "CallHangup")).cause).toBe("normal_clearing")
        }),
      ))

    test("an inbound call starts without a callId; answering it names it, and later events carry that name", () =>
      withHarness(({ carrier, remote, awaitEvent }) =>
        Effect.gen(function* () {
          const caller = farEnd(12)
          const { carrierCallId } = yield* remote.callIn({ from: caller, to: ourNumber })
          const initiated = yield* awaitEvent(carrierCallId, "CallInitiated")
          expect([initiated.direction, initiated.callId, initiated.from, initiated.to]).toEqual([
            "inbound",
            null,
            caller,
            ourNumber,
          ])
          const callId = CallId.make("conformance-inbound-12")
          yield* carrier.answer(carrierCallId, callId)
          expect((yield* awaitEvent(carrierCallId, "CallAnswered")).callId).toBe(callId)
          yield* carrier.hangup(carrierCallId)
          const hangup = yield* awaitEvent(carrierCallId, "CallHangup")
          expect([hangup.callId, hangup.cause, hangup.direction]).toEqual([callId, "normal_clearing", "inbound"])
        }),
      ))

    test("a transfer of an answered call is accepted", () =>
      withHarness(({ carrier, remote, awaitEvent }) =>
        Effect.gen(function* () {
          const req = dialRequest(13)
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          yield* carrier.transfer(carrierCallId, farEnd(14))
        }),
      ))

    test("a command on an unknown carrierCallId fails: hangup and cancel say the carrier has no such call", () =>
      withHarness(({ carrier }) =>
        Effect.gen(function* () {
          const unknown = "no-such-call"
          const commands = [
            carrier.answer(unknown, CallId.make("conformance-unknown")),
            carrier.bridge(unknown, "no-such-other-call"),
            carrier.transfer(unknown, farEnd(15)),
            carrier.speak(unknown, message(15)),
          ]
          for (const command of commands) {
            const error = yield* Effect.flip(command)
            expect([error._tag, error.retryable]).toEqual(["CarrierError", false])
          }
          // Nothing will ever report the end of such a call: the caller must be able to tell it from a refusal.
          for (const [operation, command] of [
            ["hangup", carrier.hangup(unknown)],
            ["cancel", carrier.cancel(unknown)],
          ] as const) {
            const error = yield* Effect.flip(command)
            expect(error).toMatchObject({ _tag: "UnknownCarrierCall", operation, carrierCallId: unknown })
          }
        }),
      ))

    test("a message spoken on an answered call ends with SpeakEnded completed, carrying our callId", () =>
      withHarness(({ carrier, remote, awaitEvent, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(17)
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          const answered = yield* awaitEvent(carrierCallId, "CallAnswered")
          yield* carrier.speak(carrierCallId, message(17))
          const ended = yield* awaitEvent(carrierCallId, "SpeakEnded")
          expect([ended.status, ended.callId, ended.direction]).toEqual(["completed", req.callId, "outbound"])
          expect(ended.at).toBeGreaterThanOrEqual(answered.at)
          yield* carrier.hangup(carrierCallId)
          yield* awaitEvent(carrierCallId, "CallHangup")
          const tags = tagsOf(yield* eventsOf(carrierCallId))
          expect(tags.filter((tag) => tag === "SpeakEnded")).toHaveLength(1)
        }),
      ))

    test("an inbound call we answered hears a message; its SpeakEnded carries the callId we named it", () =>
      withHarness(({ carrier, remote, awaitEvent }) =>
        Effect.gen(function* () {
          const { carrierCallId } = yield* remote.callIn({ from: farEnd(18), to: ourNumber })
          yield* awaitEvent(carrierCallId, "CallInitiated")
          const callId = CallId.make("conformance-inbound-18")
          yield* carrier.answer(carrierCallId, callId)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          yield* carrier.speak(carrierCallId, message(18))
          const ended = yield* awaitEvent(carrierCallId, "SpeakEnded")
          expect([ended.status, ended.callId, ended.direction]).toEqual(["completed", callId, "inbound"])
          yield* carrier.hangup(carrierCallId)
          yield* awaitEvent(carrierCallId, "CallHangup")
        }),
      ))

    test("messages sent one after another are spoken in turn; the same command id twice is spoken once", () =>
      withHarness(({ carrier, remote, awaitEvent, quiet, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(19)
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          yield* carrier.speak(carrierCallId, message(19, "first ".repeat(20)))
          yield* carrier.speak(carrierCallId, message(19, "first ".repeat(20)))
          yield* carrier.speak(carrierCallId, message(20, "second"))
          yield* awaitEvent(carrierCallId, "SpeakEnded")
          yield* quiet
          const ends = (yield* eventsOf(carrierCallId)).filter((event) => event._tag === "SpeakEnded")
          expect(ends.map((event) => event._tag === "SpeakEnded" && event.status)).toEqual(["completed", "completed"])
          // The short second message waited for the long first one: both ends are apart by at least its length.
          const [first, second] = [...ends].sort((a, b) => a.at - b.at)
          expect(second !== undefined && first !== undefined && second.at > first.at).toBe(true)
          yield* carrier.hangup(carrierCallId)
          yield* awaitEvent(carrierCallId, "CallHangup")
        }),
      ))

    test("a message cut short by the hangup ends with SpeakEnded call_hangup", () =>
      withHarness(({ carrier, remote, awaitEvent, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(21)
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          yield* carrier.speak(carrierCallId, message(21, "a long message ".repeat(190)))
          yield* carrier.hangup(carrierCallId)
          yield* awaitEvent(carrierCallId, "CallHangup")
          expect((yield* awaitEvent(carrierCallId, "SpeakEnded")).status).toBe("call_hangup")
          const ends = (yield* eventsOf(carrierCallId)).filter((event) => event._tag === "SpeakEnded")
          expect(ends).toHaveLength(1)
        }),
      ))

    test("speaking on a call that has ended fails, not retryable, naming the call", () =>
      withHarness(({ carrier, remote, awaitEvent }) =>
        Effect.gen(function* () {
          const req = dialRequest(22)
          yield* remote.arrange(req.to, "busy")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallHangup")
          const error = yield* Effect.flip(carrier.speak(carrierCallId, message(22)))
          expect([error._tag, error.operation, error.retryable]).toEqual(["CarrierError", "speak", false])
          expect(error.message).toContain(carrierCallId)
          expect(error.message).toMatch(/ended/)
        }),
      ))

    test("a blank or overlong message is refused before anything is sent, naming the field", () =>
      withHarness(({ carrier, remote, awaitEvent, quiet, eventsOf }) =>
        Effect.gen(function* () {
          const req = dialRequest(23)
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          const blank = yield* Effect.flip(carrier.speak(carrierCallId, message(23, "  ")))
          const long = yield* Effect.flip(carrier.speak(carrierCallId, message(24, "x".repeat(3_001))))
          const noVoice = yield* Effect.flip(carrier.speak(carrierCallId, { ...message(25), voice: "" }))
          for (const [error, field] of [
            [blank, "text:"],
            [long, "text: 3001 characters"],
            [noVoice, "voice:"],
          ] as const) {
            expect([error.operation, error.retryable]).toEqual(["speak", false])
            expect(error.message).toContain(field)
          }
          yield* quiet
          expect(tagsOf(yield* eventsOf(carrierCallId))).not.toContain("SpeakEnded")
          yield* carrier.hangup(carrierCallId)
        }),
      ))

    test("every subscriber sees the events published after it subscribed", () =>
      withHarness(({ carrier, remote, log, awaitEvent }) =>
        Effect.gen(function* () {
          const req = dialRequest(16)
          yield* remote.arrange(req.to, "human")
          const { carrierCallId } = yield* carrier.dial(req)
          yield* awaitEvent(carrierCallId, "CallAnswered")
          const late = yield* recordEvents(carrier.events)
          yield* carrier.hangup(carrierCallId)
          const seenEarly = yield* awaitEvent(carrierCallId, "CallHangup", log)
          const seenLate = yield* awaitEvent(carrierCallId, "CallHangup", late)
          expect(seenLate).toEqual(seenEarly)
        }),
      ))
  })
}

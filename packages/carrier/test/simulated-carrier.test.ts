import { describe, expect, it } from "@effect/vitest"
import { CallId, E164 } from "@ringmaster/domain"
import { type CarrierEvent, type HangupCause, SipUri } from "@ringmaster/protocol"
import { Cause, Clock, Effect, Exit, FastCheck, Option, Schema, TestClock } from "effect"
import type { Scope } from "effect"
import {
  Carrier,
  InvalidSimulatedCarrierConfig,
  SIMULATED_ENDED_CALL_KEPT_MS,
  SimulatedCarrier,
  SimulatedCarrierControl,
} from "../src/index.js"
import type { AmdMode, DialRequest, SimulatedCarrierConfig, SimulatedOutcome } from "../src/index.js"
import { carrierConformance } from "./conformance.js"
import type { RemoteParty } from "./conformance.js"
import { distinctEvents, recordEvents } from "./event-log.js"

const simulatedRemoteParty = Effect.map(SimulatedCarrierControl, (control): RemoteParty => ({
  arrange: control.forceOutcome,
  hangup: (carrierCallId) => Effect.orDie(control.remoteHangup(carrierCallId)),
  callIn: control.placeInbound,
  advance: TestClock.adjust("1 second"),
}))

carrierConformance("simulated carrier", SimulatedCarrier.layer({ seed: 7 }), simulatedRemoteParty)
carrierConformance(
  "simulated carrier delivering duplicates out of order",
  SimulatedCarrier.layer({ seed: 8, duplicateRate: 0.5, reorder: true }),
  simulatedRemoteParty,
)

const ourNumber = E164.make("+14155550100")
const number = (n: number) => E164.make(`+1212555${String(1000 + n)}`)
const amdModes: ReadonlyArray<AmdMode> = ["detect", "detect_beep", "disabled"]

const dialRequest = (n: number, overrides: Partial<DialRequest> = {}): DialRequest => ({
  callId: CallId.make(`call-${n}`),
  from: ourNumber,
  to: number(n),
  amd: amdModes[n % amdModes.length] ?? "detect",
  ringTimeoutSecs: 30,
  commandId: `command-${n}`,
  ...overrides,
})

/** Runs `body` against a fresh simulated carrier made with `config`. */
const withCarrier = <A, E>(
  config: Partial<SimulatedCarrierConfig>,
  body: (carrier: Carrier["Type"], control: SimulatedCarrierControl["Type"]) => Effect.Effect<A, E, Scope.Scope>,
) =>
  Effect.gen(function* () {
    return yield* body(yield* Carrier, yield* SimulatedCarrierControl)
  }).pipe(Effect.scoped, Effect.provide(SimulatedCarrier.layer(config)))

/**
 * Dials `count` calls (AMD `amd`, or a mix of modes), lets every one of them run to its end, and returns
 * every delivery in order, with `at` counted from the first dial so that runs can be compared.
 */
const dialAndRecord = (config: Partial<SimulatedCarrierConfig>, count: number, amd?: AmdMode) =>
  withCarrier(config, (carrier) =>
    Effect.gen(function* () {
      const start = yield* Clock.currentTimeMillis
      const log = yield* recordEvents(carrier.events)
      const placed: Array<{ readonly carrierCallId: string; readonly request: DialRequest }> = []
      for (let n = 0; n < count; n++) {
        const request = dialRequest(n, amd === undefined ? {} : { amd })
        placed.push({ request, ...(yield* carrier.dial(request)) })
      }
      yield* TestClock.adjust("15 minutes")
      const delivered = (yield* log.delivered).map((event) => ({ ...event, at: event.at - start }))
      return { placed, delivered }
    }),
  )

const eventsOfCall = (events: ReadonlyArray<CarrierEvent>, carrierCallId: string) =>
  events.filter((event) => event.carrierCallId === carrierCallId)

const hangupCause = (events: ReadonlyArray<CarrierEvent>): HangupCause | undefined =>
  events.find((event) => event._tag === "CallHangup")?.cause

/** The outcome a call had, told from its events as the Call entity would tell it (AMD accuracy 1). */
const observedOutcome = (events: ReadonlyArray<CarrierEvent>): SimulatedOutcome | "unknown" => {
  const cause = hangupCause(events)
  if (cause === "busy") return "busy"
  if (cause === "unallocated_number") return "disconnected"
  if (cause === "no_answer") return "noAnswer"
  const detection = events.find((event) => event._tag === "MachineDetectionEnded")
  if (detection?._tag === "MachineDetectionEnded") return detection.result === "machine" ? "machine" : "human"
  return "unknown"
}

const sequenceNumber = (event: CarrierEvent) => Number(event.eventId.split(":").at(-1))

const weight = FastCheck.integer({ min: 0, max: 4 })
const mixedConfig = FastCheck.record({
  seed: FastCheck.integer(),
  human: FastCheck.integer({ min: 1, max: 4 }),
  machine: weight,
  noAnswer: weight,
  busy: weight,
  disconnected: weight,
  amdAccuracy: FastCheck.double({ min: 0, max: 1, noNaN: true }),
  duplicateRate: FastCheck.double({ min: 0, max: 1, noNaN: true }),
  reorder: FastCheck.boolean(),
})

describe("SimulatedCarrier", () => {
  it.effect.prop(
    "the same seed and the same commands deliver the same events",
    { config: mixedConfig },
    ({ config }) =>
      Effect.gen(function* () {
        const first = yield* dialAndRecord(config, 8)
        const second = yield* dialAndRecord(config, 8)
        expect(second.delivered).toEqual(first.delivered)
      }),
    { fastCheck: { numRuns: 10 } },
  )

  it.effect("different seeds deliver different events", () =>
    Effect.gen(function* () {
      const config = { human: 1, machine: 1, noAnswer: 1, busy: 1, disconnected: 1 }
      const one = yield* dialAndRecord({ ...config, seed: 1 }, 10)
      const two = yield* dialAndRecord({ ...config, seed: 2 }, 10)
      expect(two.delivered).not.toEqual(one.delivered)
    }),
  )

  it.effect("outcome weights are respected over many calls", () =>
    Effect.gen(function* () {
      const weights = { human: 4, machine: 3, noAnswer: 2, busy: 1, disconnected: 0 }
      const calls = 300
      const { placed, delivered } = yield* dialAndRecord({ seed: 42, ...weights }, calls, "detect")
      const counts = new Map<string, number>()
      for (const { carrierCallId } of placed) {
        const outcome = observedOutcome(eventsOfCall(delivered, carrierCallId))
        counts.set(outcome, (counts.get(outcome) ?? 0) + 1)
      }
      expect(counts.get("unknown") ?? 0).toBe(0)
      expect(counts.get("disconnected") ?? 0).toBe(0)
      for (const [outcome, w] of Object.entries(weights)) {
        expect(Math.abs((counts.get(outcome) ?? 0) / calls - w / 10)).toBeLessThan(0.07)
      }
    }),
  )

  it.effect.prop(
    "every event of an outbound call carries our callId, its carrierCallId and one hangup",
    { config: mixedConfig },
    ({ config }) =>
      Effect.gen(function* () {
        const { placed, delivered } = yield* dialAndRecord(config, 8)
        for (const { carrierCallId, request } of placed) {
          const events = eventsOfCall(delivered, carrierCallId)
          expect(events.every((event) => event.callId === request.callId && event.direction === "outbound")).toBe(true)
          expect(distinctEvents(events).filter((event) => event._tag === "CallHangup")).toHaveLength(1)
        }
        expect(new Set(delivered.map((event) => event.carrierCallId)).size).toBe(placed.length)
      }),
    { fastCheck: { numRuns: 10 } },
  )

  it.effect("without duplicates or reordering each call's events arrive once, in the order they happened", () =>
    Effect.gen(function* () {
      const { placed, delivered } = yield* dialAndRecord({ seed: 5, human: 1, machine: 1, noAnswer: 1, busy: 1 }, 20)
      expect(distinctEvents(delivered)).toEqual(delivered)
      for (const { carrierCallId } of placed) {
        const events = eventsOfCall(delivered, carrierCallId)
        const sequence = events.map(sequenceNumber)
        expect(sequence).toEqual(sequence.map((_, i) => i + 1))
        expect(events.map((event) => event.at)).toEqual(events.map((event) => event.at).sort((a, b) => a - b))
      }
    }),
  )

  it.effect("with duplicateRate 1 every event is delivered exactly twice", () =>
    Effect.gen(function* () {
      const { delivered } = yield* dialAndRecord({ seed: 6, machine: 1, busy: 1, duplicateRate: 1 }, 10)
      const copies = new Map<string, number>()
      for (const event of delivered) copies.set(event.eventId, (copies.get(event.eventId) ?? 0) + 1)
      expect(new Set(copies.values())).toEqual(new Set([2]))
    }),
  )

  it.effect("with a duplicate rate between 0 and 1 some events are repeated and others are not", () =>
    Effect.gen(function* () {
      const { delivered } = yield* dialAndRecord({ seed: 9, duplicateRate: 0.3 }, 20)
      const distinct = distinctEvents(delivered)
      expect(delivered.length).toBeGreaterThan(distinct.length)
      expect(delivered.length).toBeLessThan(2 * distinct.length)
      for (const event of delivered) {
        expect(event).toEqual(distinct.find((first) => first.eventId === event.eventId))
      }
    }),
  )

  it.effect("reordering changes the order some events arrive in, but not the events themselves", () =>
    Effect.gen(function* () {
      const config = { seed: 10, human: 1, machine: 1, noAnswer: 1 }
      const inOrder = yield* dialAndRecord(config, 20)
      const shuffled = yield* dialAndRecord({ ...config, reorder: true, reorderWindowMs: 5_000 }, 20)
      const byId = (events: ReadonlyArray<CarrierEvent>) =>
        [...events].sort((a, b) => a.eventId.localeCompare(b.eventId))
      expect(byId(shuffled.delivered)).toEqual(byId(inOrder.delivered))
      const swapped = shuffled.placed.filter(({ carrierCallId }) => {
        const sequence = eventsOfCall(shuffled.delivered, carrierCallId).map(sequenceNumber)
        return sequence.some((n, i) => i > 0 && n < (sequence[i - 1] ?? 0))
      })
      expect(swapped.length).toBeGreaterThan(0)
    }),
  )

  it.effect.prop(
    "hangup and cancel, in any order and at any time, end a call exactly once and never fail",
    {
      outcome: FastCheck.constantFrom<SimulatedOutcome>("human", "machine", "noAnswer", "busy", "disconnected"),
      actions: FastCheck.array(
        FastCheck.record({
          command: FastCheck.constantFrom<"hangup" | "cancel">("hangup", "cancel"),
          afterMs: FastCheck.nat(20_000),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    },
    ({ outcome, actions }) =>
      withCarrier({ seed: 11 }, (carrier, control) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          const request = dialRequest(1)
          yield* control.forceOutcome(request.to, outcome)
          const { carrierCallId } = yield* carrier.dial(request)
          for (const { command, afterMs } of actions) {
            yield* TestClock.adjust(afterMs)
            yield* carrier[command](carrierCallId)
          }
          yield* TestClock.adjust("5 minutes")
          const hangups = (yield* log.distinct).filter((event) => event._tag === "CallHangup")
          expect(hangups).toHaveLength(1)
          expect(yield* control.activeCalls).toBe(0)
        }),
      ),
    { fastCheck: { numRuns: 30 } },
  )

  it.effect.prop(
    "an unanswered call ends with no_answer at min(ringTimeoutSecs, noAnswerAfterMs) after it started",
    {
      ringTimeoutSecs: FastCheck.integer({ min: 1, max: 90 }),
      noAnswerAfterMs: FastCheck.integer({ min: 1, max: 90_000 }),
      outcome: FastCheck.constantFrom<SimulatedOutcome>("noAnswer", "human"),
    },
    ({ ringTimeoutSecs, noAnswerAfterMs, outcome }) =>
      withCarrier({ seed: 12, noAnswerAfterMs, ringMs: { min: 95_000, max: 95_000 } }, (carrier, control) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          const request = dialRequest(1, { ringTimeoutSecs })
          yield* control.forceOutcome(request.to, outcome)
          yield* carrier.dial(request)
          yield* TestClock.adjust("2 minutes")
          const events = yield* log.distinct
          expect(events.map((event) => event._tag)).toEqual(["CallInitiated", "CallRinging", "CallHangup"])
          expect(hangupCause(events)).toBe("no_answer")
          const [initiated, , hangup] = events
          expect((hangup?.at ?? 0) - (initiated?.at ?? 0)).toBe(Math.min(ringTimeoutSecs * 1000, noAnswerAfterMs))
        }),
      ),
    { fastCheck: { numRuns: 30 } },
  )

  it.effect.prop(
    "a human answers within ringMs, says hello within greetingMs, talks within talkMs, then hangs up",
    {
      seed: FastCheck.integer(),
      ringMs: FastCheck.tuple(FastCheck.nat(20_000), FastCheck.nat(5_000)),
      greetingMs: FastCheck.tuple(FastCheck.nat(5_000), FastCheck.nat(5_000)),
      talkMs: FastCheck.tuple(FastCheck.nat(300_000), FastCheck.nat(300_000)),
    },
    ({ seed, ringMs, greetingMs, talkMs }) => {
      const range = ([min, extra]: readonly [number, number]) => ({ min, max: min + extra })
      const config = { seed, ringMs: range(ringMs), greetingMs: range(greetingMs), talkMs: range(talkMs) }
      return withCarrier(config, (carrier) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          yield* carrier.dial(dialRequest(1, { amd: "detect" }))
          yield* TestClock.adjust("15 minutes")
          const events = yield* log.distinct
          expect(events.map((event) => event._tag)).toEqual([
            "CallInitiated",
            "CallRinging",
            "CallAnswered",
            "MachineDetectionEnded",
            "CallHangup",
          ])
          const [initiated, , answered, detected, hangup] = events.map((event) => event.at)
          const within = (from: number | undefined, to: number | undefined, r: { min: number; max: number }) => {
            const elapsed = (to ?? Number.NaN) - (from ?? Number.NaN)
            expect(elapsed).toBeGreaterThanOrEqual(r.min)
            expect(elapsed).toBeLessThanOrEqual(r.max)
          }
          within(initiated, answered, config.ringMs)
          within(answered, detected, config.greetingMs)
          within(detected, hangup, config.talkMs)
          expect(hangupCause(events)).toBe("normal_clearing")
        }),
      )
    },
    { fastCheck: { numRuns: 20 } },
  )

  it.effect("a machine is detected, beeps, records for voicemailMs and hangs up", () =>
    withCarrier(
      { machine: 1, human: 0, greetingMs: { min: 8_000, max: 8_000 }, amdDetectionMs: 3_000, voicemailMs: 20_000 },
      (carrier) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          yield* carrier.dial(dialRequest(1, { amd: "detect_beep" }))
          yield* TestClock.adjust("5 minutes")
          const events = yield* log.distinct
          expect(events.map((event) => event._tag)).toEqual([
            "CallInitiated",
            "CallRinging",
            "CallAnswered",
            "MachineDetectionEnded",
            "MachineGreetingEnded",
            "CallHangup",
          ])
          const [, , answered, detected, beep, hangup] = events.map((event) => event.at ?? 0)
          expect([
            (detected ?? 0) - (answered ?? 0),
            (beep ?? 0) - (answered ?? 0),
            (hangup ?? 0) - (beep ?? 0),
          ]).toEqual([3_000, 8_000, 20_000])
        }),
    ),
  )

  it.effect("busy and disconnected numbers never ring", () =>
    withCarrier({}, (carrier, control) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        yield* control.forceOutcome(number(1), "busy")
        yield* control.forceOutcome(number(2), "disconnected")
        yield* carrier.dial(dialRequest(1))
        yield* carrier.dial(dialRequest(2))
        yield* TestClock.adjust("1 minute")
        const events = yield* log.distinct
        const busy = eventsOfCall(events, "sim-call-1")
        const disconnected = eventsOfCall(events, "sim-call-2")
        expect(busy.map((event) => event._tag)).toEqual(["CallInitiated", "CallHangup"])
        expect(disconnected.map((event) => event._tag)).toEqual(["CallInitiated", "CallHangup"])
        expect([hangupCause(busy), hangupCause(disconnected)]).toEqual(["busy", "unallocated_number"])
      }),
    ),
  )

  it.effect("forceOutcome overrides the draw for its number only", () =>
    withCarrier({ human: 1 }, (carrier, control) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        yield* control.forceOutcome(number(1), "busy")
        const busy = yield* carrier.dial(dialRequest(1))
        const human = yield* carrier.dial(dialRequest(2))
        yield* TestClock.adjust("15 minutes")
        const events = yield* log.distinct
        expect(hangupCause(eventsOfCall(events, busy.carrierCallId))).toBe("busy")
        expect(hangupCause(eventsOfCall(events, human.carrierCallId))).toBe("normal_clearing")
      }),
    ),
  )

  it.effect("activeCalls counts the calls that have not hung up", () =>
    withCarrier({}, (carrier, control) =>
      Effect.gen(function* () {
        yield* control.forceOutcome(number(3), "busy")
        const first = yield* carrier.dial(dialRequest(1))
        yield* carrier.dial(dialRequest(2))
        yield* carrier.dial(dialRequest(3))
        yield* control.placeInbound({ from: number(4), to: ourNumber })
        expect(yield* control.activeCalls).toBe(4)
        yield* TestClock.adjust("1 second")
        expect(yield* control.activeCalls).toBe(3)
        yield* carrier.cancel(first.carrierCallId)
        expect(yield* control.activeCalls).toBe(2)
      }),
    ),
  )

  it.effect("an ended call is remembered for 10 minutes, then forgotten with its dial's command id", () =>
    withCarrier({}, (carrier, control) =>
      Effect.gen(function* () {
        yield* control.forceOutcome(number(1), "busy")
        yield* control.forceOutcome(number(2), "busy")
        const first = yield* carrier.dial(dialRequest(1))
        yield* TestClock.adjust(SIMULATED_ENDED_CALL_KEPT_MS - 60_000)
        // Still remembered: hanging up an ended call succeeds, a repeated command id gets the same call.
        yield* carrier.hangup(first.carrierCallId)
        expect(yield* carrier.dial(dialRequest(1))).toEqual(first)
        yield* TestClock.adjust("2 minutes")
        // Forgotten once another call ends after the 10 minutes.
        yield* carrier.dial(dialRequest(2))
        yield* TestClock.adjust("1 second")
        const error = yield* Effect.flip(carrier.hangup(first.carrierCallId))
        expect(error).toMatchObject({ _tag: "UnknownCarrierCall", carrierCallId: first.carrierCallId })
        const again = yield* carrier.dial(dialRequest(1))
        expect(again.carrierCallId).not.toBe(first.carrierCallId)
      }),
    ),
  )

  it.effect("a repeated commandId returns the first call and places no other", () =>
    withCarrier({}, (carrier, control) =>
      Effect.gen(function* () {
        const first = yield* carrier.dial(dialRequest(1))
        const again = yield* carrier.dial(dialRequest(1, { to: number(2) }))
        expect(again).toEqual(first)
        expect(yield* control.activeCalls).toBe(1)
      }),
    ),
  )

  it.effect.prop(
    "agents' legs dialled between customer dials change nothing of what the customers' far ends do",
    { config: mixedConfig, legsBefore: FastCheck.array(FastCheck.integer({ min: 0, max: 3 }), { maxLength: 6 }) },
    ({ config, legsBefore }) =>
      Effect.gen(function* () {
        const customers = (withLegs: boolean) =>
          withCarrier(config, (carrier) =>
            Effect.gen(function* () {
              const start = yield* Clock.currentTimeMillis
              const log = yield* recordEvents(carrier.events)
              const ids: Array<string> = []
              for (let n = 0; n < 6; n++) {
                for (let leg = 0; withLegs && leg < (legsBefore[n] ?? 0); leg++) {
                  yield* carrier.dial({
                    ...dialRequest(100 + n * 10 + leg, { amd: "disabled" }),
                    to: Schema.decodeSync(SipUri)(`sip:agent-${n}-${leg}@agents.example.com`),
                    purpose: "agent-leg",
                  })
                }
                ids.push((yield* carrier.dial(dialRequest(n))).carrierCallId)
              }
              yield* TestClock.adjust("15 minutes")
              const events = yield* log.distinct
              return ids.map((id) =>
                eventsOfCall(events, id).map((event) => ({ ...event, eventId: "", at: event.at - start })),
              )
            }),
          )
        expect(yield* customers(true)).toEqual(yield* customers(false))
      }),
    { fastCheck: { numRuns: 20 } },
  )

  it.effect("an agent's leg is answered after agentLegAnswerMs even when every number is busy, and stays up", () =>
    withCarrier({ seed: 31, human: 0, busy: 1, agentLegAnswerMs: 300 }, (carrier, control) =>
      Effect.gen(function* () {
        const start = yield* Clock.currentTimeMillis
        const log = yield* recordEvents(carrier.events)
        const to = Schema.decodeSync(SipUri)("sip:ada@agents.example.com")
        const { carrierCallId } = yield* carrier.dial({ ...dialRequest(1), to, purpose: "agent-leg" })
        yield* TestClock.adjust("1 hour")
        const events = yield* log.distinct
        expect(events.map((event) => [event._tag, event.at - start])).toEqual([
          ["CallInitiated", 0],
          ["CallRinging", 0],
          ["CallAnswered", 300],
        ])
        expect(carrierCallId).not.toMatch(/-call-/)
        expect(yield* control.activeCalls).toBe(1)
      }),
    ),
  )

  it.effect("when a bridged leg hangs up, the other leg hangs up too", () =>
    withCarrier({}, (carrier, control) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        const a = yield* carrier.dial(dialRequest(1))
        const b = yield* carrier.dial(dialRequest(2))
        yield* TestClock.adjust("10 seconds")
        yield* carrier.bridge(a.carrierCallId, b.carrierCallId)
        yield* carrier.bridge(a.carrierCallId, b.carrierCallId)
        yield* control.remoteHangup(a.carrierCallId, "call_rejected")
        yield* TestClock.adjust(0)
        const events = yield* log.distinct
        expect(events.filter((event) => event._tag === "CallBridged")).toHaveLength(2)
        expect(hangupCause(eventsOfCall(events, a.carrierCallId))).toBe("call_rejected")
        expect(hangupCause(eventsOfCall(events, b.carrierCallId))).toBe("normal_clearing")
        expect(yield* control.activeCalls).toBe(0)
      }),
    ),
  )

  it.effect("commands that do not fit the call's state are refused, not retryable, naming the call", () =>
    withCarrier({}, (carrier, control) =>
      Effect.gen(function* () {
        const ringing = yield* carrier.dial(dialRequest(1))
        const other = yield* carrier.dial(dialRequest(2))
        const refusals = [
          yield* Effect.flip(carrier.answer(ringing.carrierCallId, CallId.make("call-x"))),
          yield* Effect.flip(carrier.bridge(ringing.carrierCallId, other.carrierCallId)),
          yield* Effect.flip(carrier.bridge(ringing.carrierCallId, ringing.carrierCallId)),
          yield* Effect.flip(carrier.transfer(ringing.carrierCallId, number(3))),
        ]
        for (const refusal of refusals) {
          expect(refusal.retryable).toBe(false)
          expect(refusal.message).toContain(ringing.carrierCallId)
        }
        const badTimeout = yield* Effect.flip(carrier.dial(dialRequest(4, { ringTimeoutSecs: 0 })))
        expect([badTimeout.operation, badTimeout.retryable]).toEqual(["dial", false])
        expect(badTimeout.message).toContain("ringTimeoutSecs: 0")
        const unknown = yield* Effect.flip(control.remoteHangup("sim-call-99"))
        expect(unknown.message).toContain("sim-call-99")
      }),
    ),
  )

  it.effect.prop(
    "each message lasts its length times speakMsPerChar, after the ones queued before it",
    {
      lengths: FastCheck.array(FastCheck.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 5 }),
      msPerChar: FastCheck.integer({ min: 0, max: 200 }),
    },
    ({ lengths, msPerChar }) =>
      withCarrier({ speakMsPerChar: msPerChar, talkMs: { min: 1e9, max: 1e9 } }, (carrier) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          const { carrierCallId } = yield* carrier.dial(dialRequest(1, { amd: "disabled" }))
          yield* TestClock.adjust("10 seconds")
          const answeredAt = yield* Clock.currentTimeMillis
          for (const [i, length] of lengths.entries()) {
            yield* carrier.speak(carrierCallId, {
              text: "a".repeat(length),
              voice: "female",
              language: "en-US",
              commandId: `speak-${i}`,
            })
          }
          yield* TestClock.adjust("10 hours")
          const ends = (yield* log.distinct).filter((event) => event._tag === "SpeakEnded")
          let elapsed = 0
          const expected = lengths.map((length) => (elapsed += length * msPerChar))
          expect(ends.map((event) => event.at - answeredAt)).toEqual(expected)
          expect(ends.every((event) => event._tag === "SpeakEnded" && event.status === "completed")).toBe(true)
        }),
      ),
    { fastCheck: { numRuns: 30 } },
  )

  it.effect(
    "a hangup cuts short the message playing and those queued: each ends with call_hangup, then the hangup",
    () =>
      withCarrier({ speakMsPerChar: 100 }, (carrier, control) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          const { carrierCallId } = yield* control.placeInbound({ from: number(1), to: ourNumber })
          yield* carrier.answer(carrierCallId, CallId.make("call-in"))
          const speak = (n: number) =>
            carrier.speak(carrierCallId, { text: "0123456789", voice: "male", language: "en-GB", commandId: `c${n}` })
          yield* speak(1)
          yield* speak(2)
          yield* speak(3)
          yield* TestClock.adjust("1500 millis")
          yield* control.remoteHangup(carrierCallId)
          yield* TestClock.adjust("1 minute")
          const tail = (yield* log.distinct)
            .slice(2)
            .map((event) => (event._tag === "SpeakEnded" ? event.status : event._tag))
          expect(tail).toEqual(["completed", "call_hangup", "call_hangup", "CallHangup"])
        }),
      ),
  )

  it.effect("speaking on an inbound call not yet answered is refused, naming the call", () =>
    withCarrier({}, (carrier, control) =>
      Effect.gen(function* () {
        const { carrierCallId } = yield* control.placeInbound({ from: number(1), to: ourNumber })
        const error = yield* Effect.flip(
          carrier.speak(carrierCallId, { text: "Hello", voice: "female", language: "en-US", commandId: "early" }),
        )
        expect([error.operation, error.retryable]).toEqual(["speak", false])
        expect(error.message).toContain(`${carrierCallId} has not been answered`)
      }),
    ),
  )

  it.effect("an inbound caller nobody answers gives up with originator_cancel after inboundPatienceMs", () =>
    withCarrier({ inboundPatienceMs: 45_000 }, (carrier, control) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        const { carrierCallId } = yield* control.placeInbound({ from: number(1), to: ourNumber })
        yield* TestClock.adjust("44 seconds")
        expect(yield* control.activeCalls).toBe(1)
        yield* TestClock.adjust("1 second")
        const events = yield* log.distinct
        expect(hangupCause(events)).toBe("originator_cancel")
        expect(events.every((event) => event.callId === null && event.carrierCallId === carrierCallId)).toBe(true)
        const late = yield* Effect.flip(carrier.answer(carrierCallId, CallId.make("call-late")))
        expect(late.message).toContain("ended")
      }),
    ),
  )

  it.effect("a subscriber does not receive the events published before it subscribed", () =>
    withCarrier({}, (carrier) =>
      Effect.gen(function* () {
        const early = yield* recordEvents(carrier.events)
        const { carrierCallId } = yield* carrier.dial(dialRequest(1))
        yield* TestClock.adjust("10 seconds")
        const late = yield* recordEvents(carrier.events)
        yield* carrier.hangup(carrierCallId)
        yield* TestClock.adjust("1 second")
        const seenLate = yield* late.distinct
        expect(seenLate.map((event) => event._tag)).toEqual(["CallHangup"])
        expect((yield* early.distinct).at(-1)).toEqual(seenLate[0])
      }),
    ),
  )

  it.effect("a config that breaks a rule stops the layer, naming the field and the value", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(withCarrier({ duplicateRate: 1.5 }, () => Effect.void))
      const defect = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.dieOption(exit.cause)) : undefined
      expect(defect).toBeInstanceOf(InvalidSimulatedCarrierConfig)
      expect(defect).toMatchObject({ field: "duplicateRate", value: "1.5" })
    }),
  )
})

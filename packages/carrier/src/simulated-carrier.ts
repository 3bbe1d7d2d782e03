import type { CallId, E164 } from "@ringmaster/domain"
import type { AmdResult, CallDirection, CarrierEvent, DialTarget, HangupCause } from "@ringmaster/protocol"
import { Clock, Context, Effect, Either, FiberSet, Layer, PubSub, Random, Stream } from "effect"
import type { Scope } from "effect"
import { Carrier, CarrierError, UnknownCarrierCall } from "./carrier.js"
import { speakRequestIssue } from "./carrier.js"
import type { AmdMode, BridgeOptions, DialRequest, SpeakRequest } from "./carrier.js"
import { drawDeliveryDelays } from "./event-delivery.js"
import { resolveSimulatedCarrierConfig } from "./simulated-config.js"
import type { SimulatedCarrierConfig, SimulatedOutcome } from "./simulated-config.js"
import { drawMs, planOutboundCall, ringTimeoutMs } from "./simulated-plan.js"
import type { OutboundCallPlan } from "./simulated-plan.js"

export {
  defaultSimulatedCarrierConfig,
  InvalidSimulatedCarrierConfig,
  resolveSimulatedCarrierConfig,
  SimulatedOutcome,
} from "./simulated-config.js"
export type { MsRange, SimulatedCarrierConfig } from "./simulated-config.js"

/** Drives the far ends of the simulated carrier, for tests and simulations. */
export class SimulatedCarrierControl extends Context.Tag("@ringmaster/carrier/SimulatedCarrierControl")<
  SimulatedCarrierControl,
  {
    /** Someone calls `to` from `from`: emits an inbound CallInitiated whose callId is null. */
    readonly placeInbound: (input: {
      readonly from: E164
      readonly to: E164
    }) => Effect.Effect<{ readonly carrierCallId: string }>
    /** The far end hangs up (default cause normal_clearing); nothing happens if the call already ended. */
    readonly remoteHangup: (carrierCallId: string, cause?: HangupCause) => Effect.Effect<void, CarrierError>
    /** Every later dial to `to` has this outcome instead of a random one (an agent's leg is always answered). */
    readonly forceOutcome: (to: DialTarget, outcome: SimulatedOutcome) => Effect.Effect<void>
    /** Calls initiated and not yet hung up. */
    readonly activeCalls: Effect.Effect<number>
  }
>() {}

type Phase = "ringing" | "answered" | "ended"

/** One leg as the simulated network sees it. Mutated only while holding the carrier's lock. */
interface SimulatedCall {
  readonly carrierCallId: string
  readonly direction: CallDirection
  readonly rng: Random.Random
  callId: CallId | null
  phase: Phase
  bridgedWith: string | null
  /** Stays up, unbridged, when the leg it is bridged to ends (an agent's leg). */
  keepWhenPartnerEnds: boolean
  eventCount: number
  /** Messages spoken or waiting to be, and when the last of them ends. */
  speechesPending: number
  speechEndsAt: number
  readonly speakCommandIds: Set<string>
  /** The command id of the dial that placed it, forgotten with it. */
  readonly dialCommandId: string | null
}

/**
 * How long an ended call is remembered: commands on it meanwhile answer as for an ended call (a hangup succeeds), and
 * a repeated dial command id gets the same call. Then it is forgotten, so a process that runs for days does not keep
 * every call it ever placed (about 0.9 kB each).
 */
export const SIMULATED_ENDED_CALL_KEPT_MS = 10 * 60_000

type Envelope = "eventId" | "callId" | "carrierCallId" | "direction" | "at"
type EventBody = CarrierEvent extends infer E ? (E extends CarrierEvent ? Omit<E, Envelope> : never) : never

const refuse = (operation: string, message: string) => new CarrierError({ operation, message, retryable: false })

/** Builds the simulated carrier and its control over one in-memory telephone network. */
export const makeSimulatedCarrier = (
  config: SimulatedCarrierConfig,
): Effect.Effect<
  { readonly carrier: Carrier["Type"]; readonly control: SimulatedCarrierControl["Type"] },
  never,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<CarrierEvent>(), PubSub.shutdown)
    const background = yield* FiberSet.make()
    const lock = yield* Effect.makeSemaphore(1)
    const calls = new Map<string, SimulatedCall>()
    const callByCommandId = new Map<string, string>()
    const forcedOutcomes = new Map<string, SimulatedOutcome>()
    let callsCreated = 0
    // Agents' legs are numbered apart and draw from their own generators, so the n-th customer dial meets the same
    // far end whether or not agents' legs were dialled before it.
    let legsCreated = 0
    let callsActive = 0

    // Every change to the network happens under one lock and is not cut short by interruption, so a
    // command and a far-end timer never interleave halfway.
    const serialized = <A, E>(effect: Effect.Effect<A, E>) => Effect.uninterruptible(lock.withPermits(1)(effect))
    // Forked from inside the lock, so the fiber must be made interruptible again for the scope to end it.
    const inBackground = (effect: Effect.Effect<void>) => FiberSet.run(background, Effect.interruptible(effect))

    const newCall = (
      direction: CallDirection,
      callId: CallId | null,
      dialCommandId: string | null,
      agentLeg = false,
    ): SimulatedCall => {
      callsActive += 1
      const n = agentLeg ? ++legsCreated : ++callsCreated
      return {
        carrierCallId: agentLeg ? `${config.idPrefix}-leg-${n}` : `${config.idPrefix}-call-${n}`,
        direction,
        // Each call draws from its own generator, so its events do not depend on how other calls interleave.
        rng: Random.make(agentLeg ? `${config.seed}:leg:${n}` : `${config.seed}:${n}`),
        callId,
        phase: "ringing",
        bridgedWith: null,
        keepWhenPartnerEnds: false,
        eventCount: 0,
        speechesPending: 0,
        speechEndsAt: 0,
        speakCommandIds: new Set(),
        dialCommandId,
      }
    }

    // Ended calls in the order they ended, forgotten from the front once SIMULATED_ENDED_CALL_KEPT_MS has passed.
    const ended: Array<{ readonly at: number; readonly carrierCallId: string }> = []
    let endedHead = 0
    const forgetEnded = (now: number) => {
      for (; endedHead < ended.length; endedHead++) {
        const next = ended[endedHead]
        if (next === undefined || next.at > now - SIMULATED_ENDED_CALL_KEPT_MS) break
        const call = calls.get(next.carrierCallId)
        calls.delete(next.carrierCallId)
        if (call !== undefined && call.dialCommandId !== null) callByCommandId.delete(call.dialCommandId)
      }
      if (endedHead > 1_000 && endedHead * 2 > ended.length) {
        ended.splice(0, endedHead)
        endedHead = 0
      }
    }

    const emit = (call: SimulatedCall, body: EventBody) =>
      Effect.gen(function* () {
        call.eventCount += 1
        const event: CarrierEvent = {
          ...body,
          eventId: `${call.carrierCallId}:${call.eventCount}`,
          callId: call.callId,
          carrierCallId: call.carrierCallId,
          direction: call.direction,
          at: yield* Clock.currentTimeMillis,
        }
        for (const delay of yield* drawDeliveryDelays(call.rng, config)) {
          if (delay === 0) yield* PubSub.publish(pubsub, event)
          else yield* inBackground(Effect.delay(PubSub.publish(pubsub, event), delay))
        }
      })

    /** Hangs up `call` with `cause`, and the leg bridged to it with normal_clearing unless that leg is to stay up. */
    const end = (call: SimulatedCall, cause: HangupCause): Effect.Effect<void> =>
      Effect.gen(function* () {
        if (call.phase === "ended") return
        call.phase = "ended"
        callsActive -= 1
        const now = yield* Clock.currentTimeMillis
        forgetEnded(now)
        ended.push({ at: now, carrierCallId: call.carrierCallId })
        // Messages still playing or waiting are cut short, as Telnyx reports them, before the hangup itself.
        for (; call.speechesPending > 0; call.speechesPending--) {
          yield* emit(call, { _tag: "SpeakEnded", status: "call_hangup" })
        }
        yield* emit(call, { _tag: "CallHangup", cause })
        const partner = call.bridgedWith === null ? undefined : calls.get(call.bridgedWith)
        call.bridgedWith = null
        if (partner === undefined) return
        partner.bridgedWith = null
        if (partner.keepWhenPartnerEnds) partner.keepWhenPartnerEnds = false
        else yield* end(partner, "normal_clearing")
      })

    /** After `ms`, runs `step` if the call is still in `phase`. */
    const after = (ms: number, call: SimulatedCall, phase: Phase, step: Effect.Effect<void>): Effect.Effect<void> =>
      Effect.sleep(ms).pipe(Effect.zipRight(serialized(Effect.when(step, () => call.phase === phase))), Effect.asVoid)

    const answered = (call: SimulatedCall) =>
      Effect.gen(function* () {
        call.phase = "answered"
        yield* emit(call, { _tag: "CallAnswered" })
      })

    const detection = (call: SimulatedCall, amd: AmdMode, result: AmdResult) =>
      Effect.asVoid(Effect.when(emit(call, { _tag: "MachineDetectionEnded", result }), () => amd !== "disabled"))

    /** A person says hello (AMD hears a human), talks, and hangs up. */
    const humanAnswers = (call: SimulatedCall, plan: OutboundCallPlan, amd: AmdMode): Effect.Effect<void> =>
      after(plan.greetingMs, call, "answered", detection(call, amd, plan.amdResult)).pipe(
        Effect.zipRight(after(plan.talkMs, call, "answered", end(call, "normal_clearing"))),
      )

    /** A machine plays its greeting (AMD recognises it on the way), beeps, records, and hangs up. */
    const machineAnswers = (call: SimulatedCall, plan: OutboundCallPlan, amd: AmdMode): Effect.Effect<void> => {
      const detectedAfterMs = Math.min(config.amdDetectionMs, plan.greetingMs)
      const beep = Effect.when(emit(call, { _tag: "MachineGreetingEnded" }), () => amd === "detect_beep")
      return after(detectedAfterMs, call, "answered", detection(call, amd, plan.amdResult)).pipe(
        Effect.zipRight(after(plan.greetingMs - detectedAfterMs, call, "answered", Effect.asVoid(beep))),
        Effect.zipRight(after(config.voicemailMs, call, "answered", end(call, "normal_clearing"))),
      )
    }

    const farEndOfOutbound = (call: SimulatedCall, plan: OutboundCallPlan, amd: AmdMode, timeoutMs: number) => {
      switch (plan.outcome) {
        case "busy":
          return after(config.rejectMs, call, "ringing", end(call, "busy"))
        case "disconnected":
          return after(config.rejectMs, call, "ringing", end(call, "unallocated_number"))
        case "noAnswer":
          return after(timeoutMs, call, "ringing", end(call, "no_answer"))
        case "human":
        case "machine": {
          if (plan.ringMs >= timeoutMs) return after(timeoutMs, call, "ringing", end(call, "no_answer"))
          const afterAnswer = plan.outcome === "human" ? humanAnswers(call, plan, amd) : machineAnswers(call, plan, amd)
          return after(plan.ringMs, call, "ringing", answered(call)).pipe(
            Effect.zipRight(Effect.when(afterAnswer, () => call.phase === "answered")),
          )
        }
      }
    }

    const find = (operation: string, carrierCallId: string) =>
      Effect.suspend(() => {
        const call = calls.get(carrierCallId)
        return call === undefined
          ? Effect.fail(refuse(operation, `unknown carrierCallId "${carrierCallId}"`))
          : Effect.succeed(call)
      })

    /** An agent's leg: answered after `agentLegAnswerMs`, never busy or a machine, up until someone hangs it up. */
    const dialAgentLeg = (req: DialRequest) =>
      Effect.gen(function* () {
        const call = newCall("outbound", req.callId, req.commandId, true)
        calls.set(call.carrierCallId, call)
        callByCommandId.set(req.commandId, call.carrierCallId)
        yield* emit(call, { _tag: "CallInitiated", from: req.from, to: req.to })
        yield* emit(call, { _tag: "CallRinging" })
        yield* inBackground(after(config.agentLegAnswerMs, call, "ringing", answered(call)))
        return { carrierCallId: call.carrierCallId }
      })

    const dial = (req: DialRequest) =>
      serialized(
        Effect.gen(function* () {
          if (!(Number.isFinite(req.ringTimeoutSecs) && req.ringTimeoutSecs > 0)) {
            return yield* refuse("dial", `ringTimeoutSecs: ${req.ringTimeoutSecs} must be a positive number of seconds`)
          }
          const repeated = callByCommandId.get(req.commandId)
          if (repeated !== undefined) return { carrierCallId: repeated }
          if (req.purpose === "agent-leg") return yield* dialAgentLeg(req)
          const call = newCall("outbound", req.callId, req.commandId)
          calls.set(call.carrierCallId, call)
          callByCommandId.set(req.commandId, call.carrierCallId)
          const plan = yield* planOutboundCall(call.rng, config, forcedOutcomes.get(req.to))
          yield* emit(call, { _tag: "CallInitiated", from: req.from, to: req.to })
          if (plan.outcome !== "busy" && plan.outcome !== "disconnected") yield* emit(call, { _tag: "CallRinging" })
          const timeoutMs = ringTimeoutMs(req.ringTimeoutSecs, config)
          yield* inBackground(farEndOfOutbound(call, plan, req.amd, timeoutMs))
          return { carrierCallId: call.carrierCallId }
        }),
      )

    const answer = (carrierCallId: string, callId: CallId) =>
      serialized(
        Effect.gen(function* () {
          const call = yield* find("answer", carrierCallId)
          if (call.direction === "outbound") {
            return yield* refuse("answer", `${carrierCallId} is an outbound call; only inbound calls are answered`)
          }
          if (call.phase === "ended") return yield* refuse("answer", `${carrierCallId} has already ended`)
          if (call.phase === "answered") {
            if (call.callId === callId) return
            return yield* refuse("answer", `${carrierCallId} was already answered as ${call.callId}`)
          }
          call.callId = callId
          yield* answered(call)
          const talkMs = (yield* drawMs(call.rng, config.greetingMs)) + (yield* drawMs(call.rng, config.talkMs))
          yield* inBackground(after(talkMs, call, "answered", end(call, "normal_clearing")))
        }),
      )

    const requireAnswered = (operation: string, call: SimulatedCall) =>
      call.phase === "answered"
        ? Effect.void
        : Effect.fail(
            refuse(
              operation,
              `${call.carrierCallId} ${call.phase === "ringing" ? "has not been answered" : "has already ended"}`,
            ),
          )

    const bridge = (carrierCallId: string, otherCarrierCallId: string, options: BridgeOptions = {}) =>
      serialized(
        Effect.gen(function* () {
          if (carrierCallId === otherCarrierCallId) {
            return yield* refuse("bridge", `cannot bridge ${carrierCallId} to itself`)
          }
          const call = yield* find("bridge", carrierCallId)
          const other = yield* find("bridge", otherCarrierCallId)
          yield* requireAnswered("bridge", call)
          yield* requireAnswered("bridge", other)
          if (call.bridgedWith === other.carrierCallId && other.bridgedWith === call.carrierCallId) return
          for (const leg of [call, other]) {
            if (leg.bridgedWith !== null) {
              return yield* refuse("bridge", `${leg.carrierCallId} is already bridged to ${leg.bridgedWith}`)
            }
          }
          call.bridgedWith = other.carrierCallId
          other.bridgedWith = call.carrierCallId
          other.keepWhenPartnerEnds = options.keepOtherUp === true
          yield* emit(call, { _tag: "CallBridged", otherCarrierCallId: other.carrierCallId })
          yield* emit(other, { _tag: "CallBridged", otherCarrierCallId: call.carrierCallId })
        }),
      )

    // The far end is handed to another number: the simulation accepts it and the leg carries on as before.
    const transfer = (carrierCallId: string, _to: E164) =>
      serialized(Effect.flatMap(find("transfer", carrierCallId), (call) => requireAnswered("transfer", call)))

    const speak = (carrierCallId: string, req: SpeakRequest) =>
      serialized(
        Effect.gen(function* () {
          const issue = speakRequestIssue(req)
          if (issue !== undefined) return yield* refuse("speak", `speak on ${carrierCallId}: ${issue}`)
          const call = yield* find("speak", carrierCallId)
          if (call.speakCommandIds.has(req.commandId)) return
          yield* requireAnswered("speak", call)
          call.speakCommandIds.add(req.commandId)
          // Messages queue: this one starts when the one before it ends, and lasts a time set by its length.
          const now = yield* Clock.currentTimeMillis
          const endsAt = Math.max(now, call.speechEndsAt) + req.text.length * config.speakMsPerChar
          call.speechEndsAt = endsAt
          call.speechesPending += 1
          const spoken = Effect.gen(function* () {
            call.speechesPending -= 1
            yield* emit(call, { _tag: "SpeakEnded", status: "completed" })
          })
          yield* inBackground(after(endsAt - now, call, "answered", spoken))
        }),
      )

    const hangUpFromOurSide = (operation: "hangup" | "cancel") => (carrierCallId: string) =>
      serialized(
        Effect.gen(function* () {
          const call = calls.get(carrierCallId)
          // Placed by another process's network and gone with it, or ended long ago and forgotten.
          if (call === undefined) return yield* new UnknownCarrierCall({ operation, carrierCallId })
          if (call.phase === "answered") return yield* end(call, "normal_clearing")
          if (call.phase === "ringing") {
            return yield* end(call, call.direction === "outbound" ? "originator_cancel" : "call_rejected")
          }
        }),
      )

    const placeInbound = (input: { readonly from: E164; readonly to: E164 }) =>
      serialized(
        Effect.gen(function* () {
          const call = newCall("inbound", null, null)
          calls.set(call.carrierCallId, call)
          yield* emit(call, { _tag: "CallInitiated", from: input.from, to: input.to })
          yield* inBackground(after(config.inboundPatienceMs, call, "ringing", end(call, "originator_cancel")))
          return { carrierCallId: call.carrierCallId }
        }),
      )

    const remoteHangup = (carrierCallId: string, cause: HangupCause = "normal_clearing") =>
      serialized(Effect.flatMap(find("remoteHangup", carrierCallId), (call) => end(call, cause)))

    const carrier: Carrier["Type"] = {
      dial,
      answer,
      bridge,
      transfer,
      speak,
      hangup: hangUpFromOurSide("hangup"),
      cancel: hangUpFromOurSide("cancel"),
      events: Stream.fromPubSub(pubsub),
    }
    const control: SimulatedCarrierControl["Type"] = {
      placeInbound,
      remoteHangup,
      forceOutcome: (to, outcome) => Effect.sync(() => void forcedOutcomes.set(to, outcome)),
      activeCalls: serialized(Effect.sync(() => callsActive)),
    }
    return { carrier, control }
  })

export const SimulatedCarrier = {
  /**
   * A carrier over an in-memory network, deterministic under `config.seed`; its timers run on Effect's
   * Clock, so `TestClock` drives it in tests. Dies with InvalidSimulatedCarrierConfig on a bad config.
   */
  layer: (config?: Partial<SimulatedCarrierConfig>): Layer.Layer<Carrier | SimulatedCarrierControl> =>
    Layer.scopedContext(
      Effect.gen(function* () {
        const resolved = resolveSimulatedCarrierConfig(config)
        if (Either.isLeft(resolved)) return yield* Effect.die(resolved.left)
        const { carrier, control } = yield* makeSimulatedCarrier(resolved.right)
        return Context.make(Carrier, carrier).pipe(Context.add(SimulatedCarrierControl, control))
      }),
    ),
}

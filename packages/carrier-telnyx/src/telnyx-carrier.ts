import { Carrier, CarrierError, speakRequestIssue, UnknownCarrierCall } from "@ringmaster/carrier"
import type { AmdMode, DialRequest, SpeakRequest } from "@ringmaster/carrier"
import type { CarrierEvent } from "@ringmaster/protocol"
import { Context, Effect, Layer, PubSub, Redacted, Stream } from "effect"
import type { Scope } from "effect"
import Telnyx from "telnyx"
import { encodeClientState } from "./client-state.js"
import { commandIdFor } from "./command-id.js"
import { carrierErrorFrom, isCallAlreadyEnded, isUnknownCall } from "./telnyx-errors.js"
import { resolveTelnyxCarrierConfig } from "./telnyx-config.js"
import type { ResolvedTelnyxCarrierConfig, TelnyxCarrierConfig } from "./telnyx-config.js"

/**
 * Where verified, decoded Telnyx webhooks go in: Telnyx tells what happens to a call by webhook, not through the SDK.
 * Every event offered here is published on `Carrier.events`.
 */
export class TelnyxEventSink extends Context.Tag("@ringmaster/carrier-telnyx/TelnyxEventSink")<
  TelnyxEventSink,
  { readonly offer: (event: CarrierEvent) => Effect.Effect<void> }
>() {}

/** Telnyx accepts a dial's `timeout_secs` in this range. */
const ringTimeoutSecsRange = { min: 5, max: 600 } as const

const amdStrength: Readonly<Record<AmdMode, number>> = { disabled: 0, detect: 1, detect_beep: 2 }

/** The mode a dial is sent with: what it asks for, at most what the account allows. */
export const cappedAmd = (asked: AmdMode, allowed: AmdMode): AmdMode =>
  amdStrength[asked] <= amdStrength[allowed] ? asked : allowed

/** How many bridged pairs are remembered to name the other leg of a `call.bridged`. */
const rememberedBridges = 10_000

/**
 * The Telnyx Call Control v2 carrier. Commands go through the telnyx SDK, which retries timeouts, connection
 * failures and 5xx by itself with the same body, so the same `command_id`: Telnyx ignores the repeat.
 */
export const makeTelnyxCarrier = (
  config: ResolvedTelnyxCarrierConfig,
): Effect.Effect<{ readonly carrier: Carrier["Type"]; readonly sink: TelnyxEventSink["Type"] }, never, Scope.Scope> =>
  Effect.gen(function* () {
    const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<CarrierEvent>(), PubSub.shutdown)
    const client = new Telnyx({
      apiKey: Redacted.value(config.apiKey),
      baseURL: config.baseUrl,
      timeout: config.timeoutMs,
      maxRetries: config.maxRetries,
      // Not read from TELNYX_* variables: OAuth would replace the API key, and webhooks are verified elsewhere.
      publicKey: null,
      clientID: null,
      clientSecret: null,
      logLevel: "off",
    })
    // Telnyx's call.bridged does not name the other leg: we know it from the bridge we sent.
    const bridgedTo = new Map<string, string>()
    const rememberBridge = (a: string, b: string) => {
      bridgedTo.set(a, b)
      bridgedTo.set(b, a)
      for (const oldest of bridgedTo.keys()) {
        if (bridgedTo.size <= rememberedBridges) break
        bridgedTo.delete(oldest)
      }
    }

    const send = <A>(
      operation: string,
      subject: string,
      request: (signal: AbortSignal) => Promise<A>,
    ): Effect.Effect<A, CarrierError> =>
      Effect.tryPromise({ try: request, catch: (error) => carrierErrorFrom(operation, subject, error) })

    /** A hangup whose leg has already ended has done what it was sent for. */
    const endLeg = (
      operation: "hangup" | "cancel",
      carrierCallId: string,
    ): Effect.Effect<void, CarrierError | UnknownCarrierCall> =>
      Effect.tryPromise({
        try: (signal) =>
          client.calls.actions.hangup(
            carrierCallId,
            { command_id: commandIdFor(operation, carrierCallId) },
            { signal },
          ),
        catch: (error) => error,
      }).pipe(
        Effect.asVoid,
        Effect.catchAll((error): Effect.Effect<void, CarrierError | UnknownCarrierCall> =>
          isCallAlreadyEnded(error)
            ? Effect.void
            : isUnknownCall(error)
              ? Effect.fail(new UnknownCarrierCall({ operation, carrierCallId }))
              : Effect.fail(carrierErrorFrom(operation, carrierCallId, error)),
        ),
      )

    const dial = (req: DialRequest): Effect.Effect<{ readonly carrierCallId: string }, CarrierError> =>
      Effect.gen(function* () {
        const { min, max } = ringTimeoutSecsRange
        if (!Number.isInteger(req.ringTimeoutSecs) || req.ringTimeoutSecs < min || req.ringTimeoutSecs > max) {
          const message = `ringTimeoutSecs: ${req.ringTimeoutSecs} must be a whole number of seconds from ${min} to ${max}`
          return yield* new CarrierError({ operation: "dial", message, retryable: false })
        }
        const response = yield* send("dial", req.to, (signal) =>
          client.calls.dial(
            {
              connection_id: config.connectionId,
              to: req.to,
              from: req.from,
              answering_machine_detection: cappedAmd(req.amd, config.amd),
              client_state: encodeClientState({ callId: req.callId, direction: "outbound" }),
              command_id: req.commandId,
              timeout_secs: req.ringTimeoutSecs,
            },
            { signal },
          ),
        )
        const carrierCallId = response.data?.call_control_id
        if (carrierCallId === undefined || carrierCallId === "") {
          const message = `dial ${req.to}: Telnyx accepted the call but named no call_control_id`
          return yield* new CarrierError({ operation: "dial", message, retryable: false })
        }
        return { carrierCallId }
      })

    /** `calls.actions.speak`; a request Telnyx would refuse fails before anything is sent. */
    const speak = (carrierCallId: string, req: SpeakRequest): Effect.Effect<void, CarrierError> =>
      Effect.gen(function* () {
        const issue = speakRequestIssue(req)
        if (issue !== undefined) {
          const message = `speak on ${carrierCallId}: ${issue}`
          return yield* new CarrierError({ operation: "speak", message, retryable: false })
        }
        yield* send("speak", carrierCallId, (signal) =>
          client.calls.actions.speak(
            carrierCallId,
            { payload: req.text, voice: req.voice, language: req.language, command_id: req.commandId },
            { signal },
          ),
        )
      })

    const carrier: Carrier["Type"] = {
      dial,
      speak,
      answer: (carrierCallId, callId) =>
        Effect.asVoid(
          send("answer", carrierCallId, (signal) =>
            client.calls.actions.answer(
              carrierCallId,
              {
                client_state: encodeClientState({ callId, direction: "inbound" }),
                command_id: commandIdFor("answer", carrierCallId, callId),
              },
              { signal },
            ),
          ),
        ),
      bridge: (carrierCallId, otherCarrierCallId, options = {}) => {
        // Telnyx parks, instead of hanging up, the leg the bridge is sent on when `park_after_unbridge` is "self": to
        // keep the other leg up, the bridge is sent on it.
        const [on, withLeg] =
          options.keepOtherUp === true ? [otherCarrierCallId, carrierCallId] : [carrierCallId, otherCarrierCallId]
        return Effect.sync(() => rememberBridge(carrierCallId, otherCarrierCallId)).pipe(
          // Remembered before sending: Telnyx may deliver call.bridged before its answer to the command arrives.
          Effect.zipRight(
            send("bridge", on, (signal) =>
              client.calls.actions.bridge(
                on,
                {
                  call_control_id_to_bridge_with: withLeg,
                  command_id: commandIdFor("bridge", on, withLeg),
                  ...(options.keepOtherUp === true ? { park_after_unbridge: "self" } : {}),
                },
                { signal },
              ),
            ),
          ),
          Effect.asVoid,
        )
      },
      transfer: (carrierCallId, to) =>
        Effect.asVoid(
          send("transfer", carrierCallId, (signal) =>
            client.calls.actions.transfer(
              carrierCallId,
              { to, command_id: commandIdFor("transfer", carrierCallId, to) },
              { signal },
            ),
          ),
        ),
      hangup: (carrierCallId) => endLeg("hangup", carrierCallId),
      // Telnyx has one hangup for both: on a leg still ringing it ends with originator_cancel.
      cancel: (carrierCallId) => endLeg("cancel", carrierCallId),
      events: Stream.fromPubSub(pubsub),
    }

    const withOtherLeg = (event: CarrierEvent): CarrierEvent => {
      if (event._tag !== "CallBridged" || event.otherCarrierCallId !== "") return event
      const other = bridgedTo.get(event.carrierCallId)
      return other === undefined ? event : { ...event, otherCarrierCallId: other }
    }

    const sink: TelnyxEventSink["Type"] = {
      offer: (event) => Effect.asVoid(PubSub.publish(pubsub, withOtherLeg(event))),
    }

    return { carrier, sink }
  })

export const TelnyxCarrier = {
  /** The Telnyx carrier and the sink its webhooks are offered to. A config that breaks a rule is a defect. */
  layer: (config: TelnyxCarrierConfig): Layer.Layer<Carrier | TelnyxEventSink> =>
    Layer.scopedContext(
      Effect.gen(function* () {
        const resolved = yield* Effect.orDie(resolveTelnyxCarrierConfig(config))
        const { carrier, sink } = yield* makeTelnyxCarrier(resolved)
        return Context.make(Carrier, carrier).pipe(Context.add(TelnyxEventSink, sink))
      }),
    ),
}

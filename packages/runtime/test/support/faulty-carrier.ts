import {
  Carrier,
  CarrierError,
  makeSimulatedCarrier,
  resolveSimulatedCarrierConfig,
  SimulatedCarrierControl,
} from "@ringmaster/carrier"
import type { SimulatedCarrierConfig } from "@ringmaster/carrier"
import { Context, Effect, Either, Layer } from "effect"

/** The carrier's commands, as failures are injected into them. */
export type CarrierCommand = "dial" | "answer" | "bridge" | "transfer" | "speak" | "hangup" | "cancel"

/** One command the runtime sent: what, on which leg (or to which number, for a dial), and whether it failed. */
export interface SentCommand {
  readonly command: CarrierCommand
  readonly subject: string
  /** The number a transfer went to, or the text a speak said. */
  readonly detail?: string
  readonly failed: boolean
}

/** Breaks chosen commands of the carrier, as a carrier that is down (or half down) would, and records every command. */
export class CarrierFaults extends Context.Tag("test/CarrierFaults")<
  CarrierFaults,
  {
    /** From now on every `commands` fails with a retryable CarrierError, as a carrier that does not answer. */
    readonly breakCommands: (commands: ReadonlyArray<CarrierCommand>) => Effect.Effect<void>
    /** Every command works again. */
    readonly heal: Effect.Effect<void>
    readonly sent: Effect.Effect<ReadonlyArray<SentCommand>>
  }
>() {}

/**
 * The simulated carrier behind a wrapper that fails the commands it is told to break before they reach it: its
 * events and far ends are the simulated carrier's own. Test support only.
 */
export const faultySimulatedCarrier = (
  config: Partial<SimulatedCarrierConfig>,
): Layer.Layer<Carrier | SimulatedCarrierControl | CarrierFaults> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const resolved = resolveSimulatedCarrierConfig(config)
      if (Either.isLeft(resolved)) return yield* Effect.die(resolved.left)
      const { carrier, control } = yield* makeSimulatedCarrier(resolved.right)
      const broken = new Set<CarrierCommand>()
      const sent: Array<SentCommand> = []

      const guarded = <A, E>(
        command: CarrierCommand,
        subject: string,
        run: Effect.Effect<A, E>,
        detail?: string,
      ): Effect.Effect<A, E | CarrierError> =>
        Effect.suspend((): Effect.Effect<A, E | CarrierError> => {
          const failed = broken.has(command)
          sent.push({ command, subject, failed, ...(detail === undefined ? {} : { detail }) })
          if (!failed) return run
          const message = `${command} ${subject}: the carrier is not answering (injected failure)`
          return Effect.fail(new CarrierError({ operation: command, message, retryable: true }))
        })

      const faulty: Carrier["Type"] = {
        dial: (req) => guarded("dial", req.to, carrier.dial(req)),
        answer: (id, callId) => guarded("answer", id, carrier.answer(id, callId)),
        bridge: (id, other) => guarded("bridge", id, carrier.bridge(id, other), other),
        transfer: (id, to) => guarded("transfer", id, carrier.transfer(id, to), to),
        speak: (id, req) => guarded("speak", id, carrier.speak(id, req), req.text),
        hangup: (id) => guarded("hangup", id, carrier.hangup(id)),
        cancel: (id) => guarded("cancel", id, carrier.cancel(id)),
        events: carrier.events,
      }
      const faults: CarrierFaults["Type"] = {
        breakCommands: (commands) => Effect.sync(() => commands.forEach((command) => broken.add(command))),
        heal: Effect.sync(() => broken.clear()),
        sent: Effect.sync(() => [...sent]),
      }
      return Context.make(Carrier, faulty).pipe(
        Context.add(SimulatedCarrierControl, control),
        Context.add(CarrierFaults, faults),
      )
    }),
  )

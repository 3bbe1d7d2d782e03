import { SqlClient } from "@effect/sql"
import { CallEntity } from "@ringmaster/protocol"
import { unansweredOutboundCallsBefore } from "@ringmaster/store"
import { Clock, Effect, Layer } from "effect"
import { tellEveryInterval } from "./background-round.js"
import { UNHEARD_LOST_AFTER_MS } from "./call-entity.js"

export interface CallWatchdogOptions {
  /** How often the calls are looked at (default 5 s): a lost call ends at most this long after its limit. */
  readonly intervalMs?: number
  /** Calls looked at per round at most (the oldest first). */
  readonly batch?: number
}

/**
 * Ends outbound calls the carrier will never finish: a call whose process died while it rang (with the simulated
 * carrier, or a carrier connection that went with it) would otherwise keep its agent "Dialing" and its lead "in
 * call" for ever. Every round, one statement finds outbound calls still dialling or ringing `UNHEARD_LOST_AFTER_MS`
 * after they were placed, and each is told to check itself; the Call entity decides (`LOST_AFTER_MS` once the
 * carrier said the call started; every runner's watchdog may ask).
 */
export const CallWatchdogLive = (options: CallWatchdogOptions = {}) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const intervalMs = options.intervalMs ?? 5_000
      const batch = options.batch ?? 500
      const calls = yield* CallEntity.client
      const sql = yield* SqlClient.SqlClient

      const stuck = Effect.flatMap(Clock.currentTimeMillis, (now) =>
        unansweredOutboundCallsBefore(now - UNHEARD_LOST_AFTER_MS, batch).pipe(
          Effect.provideService(SqlClient.SqlClient, sql),
        ),
      )
      yield* tellEveryInterval("CallWatchdog.round", intervalMs, stuck, (callId) =>
        calls(callId).CheckLost(undefined, { discard: true }),
      )
    }),
  )

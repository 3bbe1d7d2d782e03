/**
 * An inbound call nobody answers in time: the caller hears the tenant's message, then the call ends (or goes to the
 * tenant's voicemail), and a callback task is left on the lead. Whole runtime, simulated carrier, manual clock.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { E164 } from "@ringmaster/domain"
import { OVERDUE_AFTER_MS, OVERDUE_SWEEP_INTERVAL_MS } from "@ringmaster/runtime"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, FastCheck as fc } from "effect"
import { makeTelephonyWorld } from "./support/telephony-world.js"

let worlds = 0
const nextKey = () => `na${Date.now().toString(36)}w${++worlds}`

/** Speaking lasts 50 ms a character on the world's simulated carrier. */
const msPerChar = 50
const ringTimeoutMs = 5_000
const voicemail = E164.make("+14155550777")

/** Nobody logged in: an inbound call from `from` rings nobody. */
const unansweredCall = (settings: { readonly message: string; readonly voicemail: E164 | null }, from: string) =>
  Effect.gen(function* () {
    const world = yield* makeTelephonyWorld({
      key: nextKey(),
      agentCount: 1,
      settings: {
        inboundRingTimeoutMs: ringTimeoutMs,
        inboundNoAnswerMessage: settings.message,
        inboundVoicemailNumber: settings.voicemail,
      },
    })
    const rangAt = world.clock.unsafeCurrentTimeMillis()
    const { callId, carrierCallId } = yield* world.callIn(from)
    return { world, callId, carrierCallId, rangAt }
  })

const callbackTasks = (callId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ reason: string }>`SELECT reason FROM callback_tasks WHERE call_id = ${callId}`.pipe(Effect.orDie),
  )

const stageOf = (leadId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ stage: string }>`SELECT stage FROM leads WHERE id = ${leadId}`.pipe(
      Effect.orDie,
      Effect.map((rows) => rows.map((r) => r.stage)),
    ),
  )

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("inbound call nobody answers", (it) => {
  it.effect(
    "the caller hears the message once the ring timeout passes, then the call is hung up; a callback task is left",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const message = "Sorry, nobody can take your call. We will call you back."
          const { world, callId, carrierCallId, rangAt } = yield* unansweredCall(
            { message, voicemail: null },
            "+14155553001",
          )
          yield* world.advance(ringTimeoutMs - 1_000)
          expect((yield* world.callLog(callId)).map((entry) => entry.kind)).toEqual(["CallInitiated"])

          yield* world.advance(1_000 + message.length * msPerChar + 1_000)
          const log = yield* world.callLog(callId)
          expect(log.map((entry) => entry.kind)).toEqual([
            "CallInitiated",
            "NoAnswerMessage",
            "CallAnswered",
            "SpeakEnded",
            "CallHangup",
          ])
          const at = (kind: string) => log.find((entry) => entry.kind === kind)?.at ?? Number.NaN
          expect(at("CallAnswered") - rangAt).toBe(ringTimeoutMs)
          // The message plays for its whole length; the hangup follows as soon as it ends.
          expect(at("SpeakEnded") - at("CallAnswered")).toBe(message.length * msPerChar)
          expect(at("CallHangup")).toBe(at("SpeakEnded"))
          expect(log.find((entry) => entry.kind === "NoAnswerMessage")?.payload).toMatchObject({ text: message })
          expect(log.find((entry) => entry.kind === "SpeakEnded")?.payload).toMatchObject({ status: "completed" })
          expect(log.find((entry) => entry.kind === "CallHangup")?.payload).toMatchObject({ cause: "normal_clearing" })

          const sent = (yield* world.faults.sent).filter((command) => command.subject === carrierCallId)
          expect(sent.map((command) => command.command)).toEqual(["answer", "speak", "hangup"])
          expect(sent[1]?.detail).toBe(message)
          expect(yield* callbackTasks(callId)).toEqual([{ reason: "missed inbound call" }])
          const leadId = yield* world.leadOfCall(callId)
          expect(leadId).not.toBeNull()
          if (leadId !== null) expect(yield* world.leadHistory(leadId)).toContain("callback-task")
          // The caller's lead, new with this call, is queued for the next free agent to call back, once: the sweep
          // of overdue leads finds nothing to do with it.
          expect(yield* stageOf(leadId ?? "")).toEqual(["ready"])
          yield* world.advance(OVERDUE_AFTER_MS + OVERDUE_SWEEP_INTERVAL_MS + 1_000)
          expect(yield* stageOf(leadId ?? "")).toEqual(["ready"])
          const history = leadId === null ? [] : yield* world.leadHistory(leadId)
          expect(history.filter((kind) => kind === "queued-for-callback")).toHaveLength(1)
        }),
      ),
    60_000,
  )

  it.effect(
    "with a voicemail number configured, the caller is transferred there after the message instead of hung up",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const message = "Please leave a message after the tone."
          const { world, callId, carrierCallId } = yield* unansweredCall({ message, voicemail }, "+14155553002")
          yield* world.advance(ringTimeoutMs + message.length * msPerChar + 2_000)
          const sent = (yield* world.faults.sent).filter((command) => command.subject === carrierCallId)
          expect(sent.map((command) => [command.command, command.detail ?? null])).toEqual([
            ["answer", null],
            ["speak", message],
            ["transfer", voicemail],
          ])
          const log = yield* world.callLog(callId)
          expect(log.map((entry) => entry.kind)).toEqual([
            "CallInitiated",
            "NoAnswerMessage",
            "CallAnswered",
            "SpeakEnded",
            "SentToVoicemail",
          ])
          expect(log.at(-1)?.payload).toEqual({ to: voicemail })
          expect(yield* callbackTasks(callId)).toHaveLength(1)
        }),
      ),
    60_000,
  )

  it.effect("when the message cannot be played the call ends at once; with voicemail it is transferred at once", () =>
    Effect.gen(function* () {
      for (const configured of [null, voicemail]) {
        yield* Effect.scoped(
          Effect.gen(function* () {
            const { world, callId, carrierCallId, rangAt } = yield* unansweredCall(
              { message: "Nobody is here.", voicemail: configured },
              configured === null ? "+14155553003" : "+14155553004",
            )
            yield* world.faults.breakCommands(["speak"])
            yield* world.advance(ringTimeoutMs + 1_000)
            const sent = (yield* world.faults.sent).filter((command) => command.subject === carrierCallId)
            expect(sent.map((command) => [command.command, command.failed])).toEqual([
              ["answer", false],
              ["speak", true],
              [configured === null ? "hangup" : "transfer", false],
            ])
            const log = yield* world.callLog(callId)
            const failed = log.find((entry) => entry.kind === "NoAnswerMessageFailed")
            // The ring timer fires on the storage's next poll after it is due (every 200 ms), well within 1 s.
            expect(failed?.at).toBeGreaterThanOrEqual(rangAt + ringTimeoutMs)
            expect(failed?.at).toBeLessThanOrEqual(rangAt + ringTimeoutMs + 1_000)
            expect(String(failed?.payload["error"])).toContain("speak")
            expect(log.map((entry) => entry.kind)).toContain(configured === null ? "CallHangup" : "SentToVoicemail")
            expect(yield* callbackTasks(callId)).toHaveLength(1)
          }),
        )
      }
    }),
  )

  it.effect("a caller who hangs up during the message is not sent to voicemail, and nothing more is sent", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const message = "A long message. ".repeat(20)
        const { world, callId, carrierCallId } = yield* unansweredCall({ message, voicemail }, "+14155553005")
        yield* world.advance(ringTimeoutMs + 2_000)
        yield* world.run(world.control.remoteHangup(carrierCallId))
        yield* world.advance(message.length * msPerChar)
        const sent = (yield* world.faults.sent).filter((command) => command.subject === carrierCallId)
        expect(sent.map((command) => command.command)).toEqual(["answer", "speak", "hangup"])
        const log = yield* world.callLog(callId)
        expect(log.find((entry) => entry.kind === "SpeakEnded")?.payload).toMatchObject({ status: "call_hangup" })
        expect(log.map((entry) => entry.kind)).not.toContain("SentToVoicemail")
        expect(yield* callbackTasks(callId)).toHaveLength(1)
      }),
    ),
  )

  it.effect.prop(
    "whatever the message and voicemail setting, the caller hears the whole message before leaving, and once",
    [fc.string({ minLength: 1, maxLength: 400 }).filter((text) => text.trim() !== ""), fc.boolean()],
    ([message, withVoicemail]) =>
      Effect.scoped(
        Effect.gen(function* () {
          const { world, callId, carrierCallId } = yield* unansweredCall(
            { message, voicemail: withVoicemail ? voicemail : null },
            "+14155553006",
          )
          yield* world.advance(ringTimeoutMs + message.length * msPerChar + 2_000)
          const log = yield* world.callLog(callId)
          const kinds = log.map((entry) => entry.kind)
          const exit = withVoicemail ? "SentToVoicemail" : "CallHangup"
          expect(kinds.filter((kind) => kind === "SpeakEnded")).toHaveLength(1)
          expect(kinds.indexOf("SpeakEnded")).toBeLessThan(kinds.indexOf(exit))
          const at = (kind: string) => log.find((entry) => entry.kind === kind)?.at ?? Number.NaN
          expect(at(exit) - at("CallAnswered")).toBe(message.length * msPerChar)
          const sent = (yield* world.faults.sent).filter((command) => command.subject === carrierCallId)
          expect(sent.map((command) => command.command)).toEqual([
            "answer",
            "speak",
            withVoicemail ? "transfer" : "hangup",
          ])
          expect(yield* callbackTasks(callId)).toHaveLength(1)
        }),
      ),
    { fastCheck: { numRuns: 4 } },
  )
})

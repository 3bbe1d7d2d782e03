import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { E164, type LeadId, smsOptOutKeyword, type TenantId } from "@ringmaster/domain"
import { type DncStoppedLead, findInboundNumber, findLeadIdByPhone, listOnDnc } from "@ringmaster/store"
import { Clock, Effect, Option, Schema } from "effect"

const isE164 = Schema.is(E164)

/** An inbound text message, whichever carrier brought it. */
export interface InboundSms {
  /** The carrier's id of the message, the same on every delivery of it. */
  readonly messageId: string
  /** The sender: an E.164 number, or a short code or alphanumeric sender id. */
  readonly from: string
  /** The numbers it was sent to. */
  readonly to: ReadonlyArray<string>
  readonly text: string
}

/** Why an inbound text changed nothing. */
export type SmsIgnoredReason = "not an opt-out" | "sender is not a telephone number" | "not one of our numbers"

export type SmsOptOutOutcome =
  | {
      readonly _tag: "OptedOut"
      readonly tenantId: TenantId
      readonly phone: E164
      readonly leadId: LeadId | null
      readonly dncEntryId: number
      /** The same entry was on the list already (a repeated delivery, a number added before): nothing was written. */
      readonly alreadyListed: boolean
      /** The leads at that number stopped for good: to be taken out of their campaigns' queues (`dequeueDncStopped`). */
      readonly stopped: ReadonlyArray<DncStoppedLead>
    }
  | { readonly _tag: "Ignored"; readonly reason: SmsIgnoredReason }

/**
 * An SMS opt-out ("STOP", "Unsubscribe"...) to one of our numbers puts its sender on the tenant's do-not-call list at
 * once, with source `opt-out-sms`, for the tenant's lead with that number when there is one, and notes `opted-out` in
 * that lead's history; all in one transaction. A repeated delivery of the message finds the entry there and writes
 * nothing. Anything else (another text, a number no tenant has, a sender that cannot be dialled) changes nothing.
 */
export const recordSmsOptOut = (sms: InboundSms): Effect.Effect<SmsOptOutOutcome, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const keyword = smsOptOutKeyword(sms.text)
    if (keyword === undefined) return { _tag: "Ignored", reason: "not an opt-out" } as const
    const phone = sms.from
    if (!isE164(phone)) return { _tag: "Ignored", reason: "sender is not a telephone number" } as const
    let line = Option.none<{ readonly did: E164; readonly tenantId: TenantId }>()
    for (const to of sms.to) {
      if (Option.isSome(line)) break
      if (isE164(to)) line = yield* findInboundNumber(to)
    }
    if (Option.isNone(line)) return { _tag: "Ignored", reason: "not one of our numbers" } as const
    const { did, tenantId } = line.value
    const now = yield* Clock.currentTimeMillis
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        // Telnyx delivers again when the first delivery is slow to be answered, so two deliveries of one message can
        // meet here: the second waits for the first to commit, then finds its entry.
        const lockKey = `${tenantId} ${phone}`
        yield* sql`SELECT pg_advisory_xact_lock(hashtext('ringmaster:sms-opt-out'), hashtext(${lockKey}))`
        const leadId = Option.getOrNull(yield* findLeadIdByPhone(tenantId, phone))
        const { entry, added, stopped } = yield* listOnDnc({
          tenantId,
          phone,
          leadId,
          source: "opt-out-sms",
          reason: `SMS "${sms.text.trim()}" to ${did}`,
          now,
          optOut: { channel: "sms", text: sms.text, keyword, to: did, messageId: sms.messageId },
        })
        if (added) yield* Effect.logInfo(`SMS opt-out: ${phone} put on the do-not-call list of tenant ${tenantId}`)
        return {
          _tag: "OptedOut",
          tenantId,
          phone,
          leadId,
          dncEntryId: entry.id,
          alreadyListed: !added,
          stopped,
        } as const
      }),
    )
  })

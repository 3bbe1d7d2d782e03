import { SqlClient } from "@effect/sql"
import type { Carrier } from "@ringmaster/carrier"
import { type CallId, E164, emptyCallFacts, LeadId, newId } from "@ringmaster/domain"
import type { CallInitiated } from "@ringmaster/protocol"
import {
  appendLeadEvent,
  type CallRow,
  findInboundNumber,
  findLeadIdByPhone,
  insertCall,
  insertLead,
  isBlacklisted,
  logCallEvent,
  logCallNote,
  setCallSource,
} from "@ringmaster/store"
import { Clock, Effect, Option, Schema } from "effect"
import { TenantConfigs } from "./tenant-configs.js"

const isE164 = Schema.is(E164)

/** An inbound call as written: its row, and whether its caller is blacklisted (the call is then hung up on). */
export interface RecordedInbound {
  readonly row: CallRow
  readonly blacklisted: boolean
}

/**
 * Writes a call that starts outside, in one transaction: the lead its caller matches (or a new one), the call's row
 * and source, its first event, and the lead's or the rejection's note. A call to a number that is not a telephone
 * number, or that no tenant has, is hung up on and nothing is written (none).
 */
export const recordInboundCall = (callId: CallId, event: CallInitiated, carrier: Carrier["Type"]) =>
  Effect.gen(function* () {
    const to = event.to
    if (!isE164(to)) {
      yield* Effect.logWarning(`inbound call to ${to}, not a telephone number: refused`)
      yield* carrier.hangup(event.carrierCallId).pipe(Effect.ignore)
      return Option.none<RecordedInbound>()
    }
    const line = yield* findInboundNumber(to).pipe(Effect.orDie)
    if (Option.isNone(line)) {
      yield* Effect.logWarning(`inbound call to ${to}, a number no tenant has: refused`)
      yield* carrier.hangup(event.carrierCallId).pipe(Effect.ignore)
      return Option.none<RecordedInbound>()
    }
    const { tenantId, campaignId, source } = line.value
    const config = yield* (yield* TenantConfigs).get(tenantId).pipe(Effect.orDie)
    const now = yield* Clock.currentTimeMillis
    const sql = yield* SqlClient.SqlClient
    const blacklisted = yield* isBlacklisted(tenantId, event.from).pipe(Effect.orDie)
    const row = yield* sql
      .withTransaction(
        Effect.gen(function* () {
          let leadId: LeadId | null = Option.getOrNull(yield* findLeadIdByPhone(tenantId, event.from))
          const leadType = Array.from(config.leadTypes.values())[0]
          if (leadId === null && !blacklisted && leadType !== undefined) {
            leadId = newId(LeadId)
            yield* insertLead({
              id: leadId,
              tenantId,
              campaignId,
              leadTypeId: leadType.id,
              statusId: leadType.initialStatusId,
              name: `Caller ${event.from}`,
              phone: event.from,
              email: null,
              notes: `Called ${source} (${to})`,
              now,
              // No attempt while the person is on the line: the call's outcome plans the next one, and a missed
              // call leaves a callback task. Due now, the sweep of overdue leads would queue it for a dial.
              nextAttemptAt: null,
            })
          }
          const row: CallRow = {
            id: callId,
            tenantId,
            campaignId,
            leadId,
            agentId: null,
            direction: "inbound",
            from: event.from,
            to,
            carrierCallId: event.carrierCallId,
            phase: "Ringing",
            facts: emptyCallFacts,
            createdAt: now,
          }
          // The Call entity read no row for this id: another writer of it would be a fault.
          if (!(yield* insertCall(row))) return yield* Effect.dieMessage(`call ${callId} exists`)
          yield* setCallSource(callId, source)
          yield* logCallEvent(tenantId, callId, event, now)
          if (blacklisted) {
            yield* logCallNote(
              tenantId,
              callId,
              "rejected",
              "Rejected",
              { reason: "blacklisted", from: event.from },
              now,
            )
          } else if (leadId !== null) {
            yield* appendLeadEvent(tenantId, leadId, now, "inbound-call", { callId, source, did: to })
          }
          return row
        }),
      )
      .pipe(Effect.orDie)
    return Option.some<RecordedInbound>({ row, blacklisted })
  })

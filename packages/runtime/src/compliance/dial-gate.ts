import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import {
  type AgentId,
  type CallId,
  callingHoursCheck,
  decideDial,
  type DialDecision,
  type E164,
  type ExternalDncAnswer,
  isTimeZone,
  type LeadId,
  type ListEntry,
  stateRuleCheck,
  type TenantId,
} from "@ringmaster/domain"
import { dialFacts, recordDialBlock } from "@ringmaster/store"
import { Clock, Context, Effect, Layer } from "effect"
import { TenantConfigs } from "../tenant-configs.js"
import { ExternalDnc } from "./external-dnc.js"
import { NumberLocator } from "./number-locator.js"

const day = 24 * 60 * 60 * 1_000

export interface DialCheck {
  readonly tenantId: TenantId
  readonly leadId: LeadId | null
  readonly phone: E164
  readonly agentId: AgentId | null
  /** The call about to be placed, when its row is already written (it is then not counted against the state's limit). */
  readonly callId: CallId | null
}

/**
 * The compliance gate in front of every dial, manual or automatic: the tenant's do-not-call list (by number and by
 * lead), the external registry, the blacklist, the calling hours in the called person's zone(s) and the tenant's
 * rule for the number's state. A refused dial is recorded in `dial_blocks` with its reason.
 */
export class DialGate extends Context.Tag("@ringmaster/runtime/DialGate")<
  DialGate,
  { readonly check: (input: DialCheck) => Effect.Effect<DialDecision, SqlError> }
>() {
  static readonly layer = Layer.effect(
    DialGate,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const configs = yield* TenantConfigs
      const locator = yield* NumberLocator
      const external = yield* ExternalDnc

      const externalAnswer = (phone: E164): Effect.Effect<ExternalDncAnswer> =>
        external.isListed(phone).pipe(
          Effect.map((listed): ExternalDncAnswer => (listed ? "listed" : "clear")),
          Effect.catchTag("ExternalDncUnavailable", (error) =>
            Effect.as(Effect.logWarning(`External do-not-call check failed: ${error.message}`), "unavailable" as const),
          ),
        )

      /** The lead's own IANA time zone; none (or a name that is not a zone) means "from the number". */
      const zonesOf = (phone: E164, leadTimeZone: string | null): Effect.Effect<ReadonlyArray<string>> =>
        leadTimeZone !== null && isTimeZone(leadTimeZone) ? Effect.succeed([leadTimeZone]) : locator.zones(phone)

      const check = (input: DialCheck) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const { tenantId, phone } = input
          // The state is known in memory; the one statement (lists, rule, count, the lead's zone) runs beside the HTTP
          // and config work.
          const facts = yield* Effect.all(
            {
              stored: Effect.flatMap(locator.usState(phone), (usState) =>
                dialFacts({
                  tenantId,
                  phone,
                  leadId: input.leadId,
                  usState,
                  since: now - day,
                  excludeCallId: input.callId,
                }),
              ),
              externalDnc: externalAnswer(phone),
              config: configs.get(tenantId),
            },
            { concurrency: "unbounded" },
          )
          const { stored } = facts
          const zones = yield* zonesOf(phone, stored.leadTimeZone)
          const rule = stored.stateRule
          const callsInLast24h = stored.callsSince ?? 0
          const { settings } = facts.config
          const decision = decideDial({
            phone,
            dncNumber: listEntry(stored.dncByNumber),
            dncLead: listEntry(stored.dncByLead),
            externalDnc: facts.externalDnc,
            blacklist: listEntry(stored.blacklist),
            callingHours: callingHoursCheck({
              at: now,
              zones,
              window: { startHour: settings.callingHoursStart, endHour: settings.callingHoursEnd },
            }),
            stateRule: rule === null ? null : stateRuleCheck({ rule, at: now, zones, callsInLast24h }),
          })
          if (decision._tag === "Blocked") {
            yield* recordDialBlock({
              tenantId,
              leadId: input.leadId,
              agentId: input.agentId,
              callId: input.callId,
              phone,
              reason: decision.reason,
              message: decision.message,
              at: now,
            })
          }
          return decision
        }).pipe(Effect.provideService(SqlClient.SqlClient, sql))

      return { check }
    }),
  )
}

const listEntry = (row: { readonly createdAt: number; readonly reason: string | null } | null): ListEntry | null =>
  row === null ? null : { addedAt: row.createdAt, reason: row.reason }

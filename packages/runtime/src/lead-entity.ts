import { Entity } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import {
  type AgentId,
  applyOutcome,
  blockedRetryAt,
  DispositionId,
  LeadId,
  type OutcomeResult,
  retimeWaitingLead,
} from "@ringmaster/domain"
import {
  type AgentStateChange,
  CampaignEntity,
  CommandRefused,
  LeadEntity,
  type LeadStage,
  TimerPayload,
} from "@ringmaster/protocol"
import {
  type AttemptOutcome,
  findLead,
  isDncListed,
  listOnDnc,
  type LeadRow,
  readyIfDue,
  recordLeadAttempt,
} from "@ringmaster/store"
import { Clock, Effect, Option } from "effect"
import { queueEntryOf } from "./queue-entry.js"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { dequeueDncStopped } from "./compliance/dnc-queue-removal.js"
import { TenantConfigs } from "./tenant-configs.js"

/** The timer that wakes a waiting lead at its next attempt time, keyed by it: the same timer is not armed twice. */
export const nextAttemptTimer = (leadId: LeadId, at: number): TimerPayload =>
  new TimerPayload({ key: `next-attempt:${leadId}`, at })

/** The Lead entity: readiness, the next-attempt timer, and the cadence applied after every outcome. */
export const LeadEntityLive = LeadEntity.toLayer(
  Effect.gen(function* () {
    const address = yield* Entity.CurrentAddress
    const leadId = LeadId.make(address.entityId)
    const configs = yield* TenantConfigs
    const sql = yield* SqlClient.SqlClient
    const campaign = yield* CampaignEntity.client
    const self = yield* LeadEntity.client

    const load = findLead(leadId).pipe(Effect.orDie)

    /** A ready lead goes to its campaign's queue. */
    const enqueue = (lead: LeadRow) =>
      Effect.gen(function* () {
        const config = yield* configs.get(lead.tenantId)
        yield* orDieOnClusterFailure(campaign(lead.campaignId).Enqueue({ entry: queueEntryOf(lead, config) }))
      }).pipe(Effect.orDie)

    /** A waiting lead whose time has come goes to its campaign's queue; otherwise its timer is (re)armed. */
    const admitIfDue = (lead: LeadRow) =>
      Effect.gen(function* () {
        if (lead.stage === "ready") return yield* enqueue(lead)
        if (lead.stage !== "waiting" || lead.nextAttemptAt === null) return
        const now = yield* Clock.currentTimeMillis
        if (lead.nextAttemptAt > now) {
          return yield* orDieOnClusterFailure(
            self(leadId).Wake(nextAttemptTimer(leadId, lead.nextAttemptAt), {
              discard: true,
            }),
          )
        }
        const readied = yield* readyIfDue(leadId, now, null).pipe(Effect.orDie)
        if (Option.isSome(readied)) yield* enqueue(readied.value)
      })

    /**
     * An attempt's result written at once: the lead's new progress (from `fromStages`), the event on its history, and
     * for an agent's outcome the call's disposition and conversions; the lead as written, or none when it had moved on
     * meanwhile.
     */
    const applyAttempt = (input: {
      readonly lead: LeadRow
      readonly result: OutcomeResult
      readonly fromStages: ReadonlyArray<LeadStage>
      readonly now: number
      readonly event: { readonly kind: string; readonly detail: Record<string, unknown> }
      readonly outcome?: AttemptOutcome
      readonly agentAfter?: { readonly agentId: AgentId; readonly change: AgentStateChange } | undefined
    }) => {
      const { lead, result, now } = input
      const stage = result.nextAttemptAt === null ? "terminal" : result.nextAttemptAt <= now ? "ready" : "waiting"
      return recordLeadAttempt({
        leadId,
        fromStages: input.fromStages,
        update: {
          stage,
          statusId: result.statusId,
          attempts: result.attempts,
          attemptsInStatus: result.attemptsInStatus,
          lastContactAt: now,
          nextAttemptAt: result.nextAttemptAt,
          recycledSeq: null,
          assignedAgentId: lead.assignedAgentId,
          assignedUntil: lead.assignedUntil,
          now,
        },
        event: input.event,
        ...(input.outcome === undefined ? {} : { outcome: input.outcome }),
        agentAfter: input.agentAfter,
      }).pipe(Effect.orDie)
    }

    // The usual case, a lead due now, is one statement: made ready, then queued. A sender that gives up waiting must
    // not leave the lead ready in its row but missing from its campaign's queue.
    const admit = Effect.uninterruptible(
      Effect.gen(function* () {
        const readied = yield* readyIfDue(leadId, yield* Clock.currentTimeMillis, null).pipe(Effect.orDie)
        if (Option.isSome(readied)) {
          yield* enqueue(readied.value)
          return { stage: readied.value.stage, updatedAt: readied.value.updatedAt }
        }
        const found = yield* load
        if (Option.isSome(found)) yield* admitIfDue(found.value)
        return null
      }),
    )

    return LeadEntity.of({
      AdmitNow: () => admit,
      Admit: () => Effect.asVoid(admit),
      Wake: ({ payload }) =>
        Effect.gen(function* () {
          const readied = yield* readyIfDue(leadId, yield* Clock.currentTimeMillis, payload.at).pipe(Effect.orDie)
          if (Option.isSome(readied)) return yield* enqueue(readied.value)
          const found = yield* load
          if (Option.isNone(found)) return
          const lead = found.value
          // A timer for an attempt time the lead no longer has is stale. When the lead waits for a later time, a
          // re-time moved it (one that moves leads later arms no timer, see `refreshStatusLeads`): it is armed now
          // for that time (the timer is keyed by its time: one armed already is not armed twice). When it waits for
          // an earlier time, that time has its own timer.
          const movedLater = lead.stage === "waiting" && lead.nextAttemptAt !== null && lead.nextAttemptAt > payload.at
          if (lead.nextAttemptAt === payload.at || movedLater) yield* admitIfDue(lead)
        }),
      Refresh: () =>
        Effect.gen(function* () {
          const found = yield* load
          if (Option.isNone(found)) return
          const lead = found.value
          if (lead.stage !== "waiting") return yield* admitIfDue(lead)
          // Re-time a waiting lead under its status's cadence as it is now (a supervisor may have edited it).
          const config = yield* configs.get(lead.tenantId).pipe(Effect.orDie)
          const now = yield* Clock.currentTimeMillis
          const next = retimeWaitingLead({
            cadenceOf: (statusId) => config.cadences.get(statusId),
            statusId: lead.statusId,
            attemptsInStatus: lead.attemptsInStatus,
            lastContactAt: lead.lastContactAt,
            enteredAt: lead.createdAt,
            now,
          })
          if (next.statusId === lead.statusId && next.nextAttemptAt === lead.nextAttemptAt)
            return yield* admitIfDue(lead)
          const stage = next.nextAttemptAt === null ? "terminal" : "waiting"
          const moved = yield* recordLeadAttempt({
            leadId,
            fromStages: ["waiting"],
            update: { ...lead, ...next, stage, now },
            event: {
              kind: "rescheduled",
              detail: {
                reason: "cadence changed",
                status: config.statuses.get(next.statusId)?.name ?? next.statusId,
                nextAttemptAt: next.nextAttemptAt,
              },
            },
          }).pipe(Effect.orDie)
          if (Option.isSome(moved)) yield* admitIfDue(moved.value)
        }),
      RecordAttempt: ({ payload }) =>
        Effect.gen(function* () {
          const found = yield* load
          if (Option.isNone(found) || found.value.stage !== "in_call") return
          const lead = found.value
          const config = yield* configs.get(lead.tenantId).pipe(Effect.orDie)
          const now = yield* Clock.currentTimeMillis
          // Nobody reached: the attempt counts and the lead goes back to its cadence in the status it has.
          const result = yield* applyOutcome({
            lead: { leadId, statusId: lead.statusId, attempts: lead.attempts, attemptsInStatus: lead.attemptsInStatus },
            priorityZero: false,
            disposition: {
              id: DispositionId.make(`auto:${payload.result}`),
              label: payload.result,
              kind: "cadence",
              statusId: null,
            },
            cadenceOf: (s) => config.cadences.get(s),
            at: now,
          }).pipe(Effect.orDie)
          const moved = yield* applyAttempt({
            lead,
            result,
            fromStages: ["in_call"],
            now,
            event: {
              kind: "attempt",
              detail: {
                callId: payload.callId,
                result: payload.result,
                status: config.statuses.get(result.statusId)?.name ?? result.statusId,
                nextAttemptAt: result.nextAttemptAt,
              },
            },
          })
          if (Option.isSome(moved)) yield* admitIfDue(moved.value)
        }),
      DialBlocked: ({ payload }) =>
        Effect.gen(function* () {
          const found = yield* load
          if (Option.isNone(found) || found.value.stage !== "in_call") return
          const lead = found.value
          const now = yield* Clock.currentTimeMillis
          const retryAt = blockedRetryAt(payload.reason, now)
          const moved = yield* recordLeadAttempt({
            leadId,
            fromStages: ["in_call"],
            update: {
              ...lead,
              stage: retryAt === null ? "terminal" : "waiting",
              nextAttemptAt: retryAt,
              recycledSeq: null,
              now,
            },
            event: { kind: "dial-blocked", detail: { reason: payload.reason, message: payload.message, retryAt } },
          }).pipe(Effect.orDie)
          if (Option.isSome(moved)) yield* admitIfDue(moved.value)
        }),
      RecordOutcome: ({ payload }) =>
        Effect.gen(function* () {
          const found = yield* load
          if (Option.isNone(found)) {
            return yield* new CommandRefused({ code: "lead-not-found", message: `lead ${leadId} does not exist` })
          }
          const lead = found.value
          if (lead.stage !== "in_call" && lead.stage !== "wrap_up") {
            return yield* new CommandRefused({
              code: "lead-not-in-call",
              message: `lead ${leadId} is ${lead.stage}: an outcome is taken only after its call`,
            })
          }
          if (lead.assignedAgentId !== payload.agentId) {
            return yield* new CommandRefused({
              code: "lead-not-yours",
              message: `lead ${leadId} is not being worked by agent ${payload.agentId}`,
            })
          }
          const config = yield* configs.get(lead.tenantId).pipe(Effect.orDie)
          const disposition = config.dispositions.get(payload.dispositionId)
          if (disposition === undefined) {
            return yield* new CommandRefused({
              code: "unknown-disposition",
              message: `dispositionId: "${payload.dispositionId}" is not an outcome of this tenant`,
            })
          }
          const now = yield* Clock.currentTimeMillis
          const doNotCall = payload.doNotCall === true
          const planned = yield* applyOutcome({
            lead: {
              leadId,
              statusId: lead.statusId,
              attempts: lead.attempts,
              attemptsInStatus: lead.attemptsInStatus,
            },
            // An opt-out ends the lead whatever its status: priority 0 cannot hold it back.
            priorityZero: !doNotCall && (config.leadTypes.get(lead.leadTypeId)?.priorityZero ?? false),
            disposition,
            cadenceOf: (s) => config.cadences.get(s),
            at: now,
          })
          // A lead whose number went on the do-not-call list while it was in call is not queued again at once (one
          // that waits stops when it is due, see `readyIfDue`).
          const listed =
            !doNotCall &&
            planned.nextAttemptAt !== null &&
            planned.nextAttemptAt <= now &&
            (yield* isDncListed(lead.tenantId, lead.phone, leadId).pipe(Effect.orDie))
          const result = doNotCall || listed ? { ...planned, nextAttemptAt: null } : planned
          const attempt = applyAttempt({
            lead,
            result,
            fromStages: ["in_call", "wrap_up"],
            now,
            event: {
              kind: "outcome",
              detail: {
                agentId: payload.agentId,
                callId: payload.callId,
                disposition: disposition.label,
                fromStatus: config.statuses.get(lead.statusId)?.name ?? lead.statusId,
                toStatus: config.statuses.get(result.statusId)?.name ?? result.statusId,
                finalTriggered: result.finalTriggered,
                nextAttemptAt: result.nextAttemptAt,
                ...(payload.notes === undefined || payload.notes === "" ? {} : { notes: payload.notes }),
                ...(doNotCall ? { doNotCall: true } : {}),
                ...(listed ? { onDoNotCallList: true } : {}),
              },
            },
            outcome: {
              callId: payload.callId,
              agentId: payload.agentId,
              campaignId: lead.campaignId,
              dispositionId: disposition.id,
            },
            // The agent's row, done with the lead, is written with the outcome.
            agentAfter:
              payload.agentAfter === undefined ? undefined : { agentId: payload.agentId, change: payload.agentAfter },
          })
          // An opt-out is written with the outcome: the number on the list, the person's other leads stopped.
          const optOut = Effect.gen(function* () {
            const applied = yield* attempt
            if (Option.isNone(applied)) return { applied, stopped: [] }
            const listed = yield* listOnDnc({
              tenantId: lead.tenantId,
              phone: lead.phone,
              leadId,
              source: "opt-out-verbal",
              reason: `asked on a call with agent ${payload.agentId}`,
              now,
              optOut: { channel: "verbal", agentId: payload.agentId, callId: payload.callId },
            }).pipe(Effect.orDie)
            return { applied, stopped: listed.stopped }
          })
          const { applied, stopped } = doNotCall
            ? yield* sql.withTransaction(optOut).pipe(Effect.orDie)
            : { applied: yield* attempt, stopped: [] }
          if (Option.isNone(applied)) {
            return yield* new CommandRefused({ code: "lead-changed", message: `lead ${leadId} changed meanwhile` })
          }
          yield* admitIfDue(applied.value)
          yield* dequeueDncStopped(stopped)
          return {
            statusId: result.statusId,
            attempts: result.attempts,
            nextAttemptAt: result.nextAttemptAt,
            finalTriggered: result.finalTriggered,
            agentSaved: payload.agentAfter !== undefined,
          }
        }),
    })
  }),
  // Nothing is kept in memory between messages (each handler reads the row): a lead at rest costs no memory.
  { maxIdleTime: "5 seconds" },
)

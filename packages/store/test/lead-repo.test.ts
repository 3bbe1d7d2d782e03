import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import { type AgentId, CallId, DispositionId, E164, LeadId, LeadStatusId, TenantId } from "@ringmaster/domain"
import { Effect, Layer, Option } from "effect"
import { seedTenant } from "../src/demo-seed.js"
import {
  findLead,
  findLeadWithHistory,
  findTenantLeadWithHistory,
  insertLead,
  insertLeads,
  leadHistory,
  readyIfDue,
  recordLeadAttempt,
} from "../src/lead-repo.js"
import { Migrator } from "../src/migrator.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const day0 = Date.UTC(2024, 4, 1)

/** A tenant with one lead on a call (stage in_call) and that call's row. */
const leadOnCall = Effect.gen(function* () {
  const sql = yield* SqlClient
  const key = `l${crypto.randomUUID().slice(0, 8)}`
  const tenant = yield* seedTenant({ key, name: `Leads ${key}`, agentCount: 1, leadCount: 1, now: day0 })
  const leadId = tenant.newLeadIds[0] as LeadId
  const agentId = tenant.agents[0]?.agentId ?? null
  yield* sql`UPDATE leads SET stage = 'in_call' WHERE id = ${leadId}`
  const callId = CallId.make(`${key}-call-1`)
  yield* sql`INSERT INTO calls (id, tenant_id, campaign_id, lead_id, agent_id, direction, from_number, to_number,
      phase, facts, created_at)
    VALUES (${callId}, ${tenant.tenantId}, ${tenant.campaignId}, ${leadId}, ${agentId}, 'outbound', '+14155550100',
      '+14155552600', 'Ended', '{}'::jsonb, ${day0})`
  const dispositionWhere = (condition: "books_consultation" | "NOT books_consultation AND NOT sells_case") =>
    Effect.map(
      sql<{ id: string }>`SELECT id FROM dispositions WHERE tenant_id = ${tenant.tenantId}
        AND ${sql.literal(condition)} ORDER BY id LIMIT 1`,
      (rows) => DispositionId.make(rows[0]?.id ?? "missing"),
    )
  return {
    tenantId: tenant.tenantId as TenantId,
    campaignId: tenant.campaignId,
    leadId,
    agentId,
    callId,
    booking: yield* dispositionWhere("books_consultation"),
    plain: yield* dispositionWhere("NOT books_consultation AND NOT sells_case"),
    status: tenant.statuses.new,
  }
})

const history = (leadId: LeadId) =>
  Effect.flatMap(
    SqlClient,
    (sql) => sql<{ kind: string }>`SELECT kind FROM lead_events WHERE lead_id = ${leadId} ORDER BY id`,
  )
const conversions = (leadId: LeadId) =>
  Effect.flatMap(
    SqlClient,
    (sql) => sql<{ kind: string; callId: string | null }>`SELECT kind, call_id FROM lead_conversions
      WHERE lead_id = ${leadId} ORDER BY id`,
  )
const dispositionOf = (callId: CallId) =>
  Effect.flatMap(SqlClient, (sql) =>
    Effect.map(
      sql<{ dispositionId: string | null }>`SELECT disposition_id FROM calls WHERE id = ${callId}`,
      (rows) => rows[0]?.dispositionId ?? null,
    ),
  )

const progress = (status: LeadStatusId, at: number) => ({
  stage: "waiting" as const,
  statusId: status,
  attempts: 1,
  attemptsInStatus: 1,
  lastContactAt: at,
  nextAttemptAt: at + 3_600_000,
  recycledSeq: null,
  assignedAgentId: null,
  assignedUntil: null,
  now: at,
})

layer(database, { timeout: "120 seconds" })("lead repository: an attempt's result in one statement", (it) => {
  describe("recordLeadAttempt", () => {
    it.effect("writes the agent done with the lead in the same statement, only when the lead moved", () =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        const sql = yield* SqlClient
        const agentId = t.agentId as AgentId
        yield* sql`UPDATE agents SET state = 'WrapUp', state_since = ${day0}, current_call_id = ${t.callId},
          call_phase = 'Ended', call_to = '+14155552600', working_lead_id = ${t.leadId}, wrap_up_until = ${day0 + 600_000}
          WHERE id = ${agentId}`
        const agentRow = Effect.map(
          sql<{ state: string; currentCallId: string | null; workingLeadId: string | null; dueAt: number | null }>`
            SELECT state, current_call_id, working_lead_id, due_at::float8 AS due_at FROM agents WHERE id = ${agentId}`,
          (rows) => rows[0],
        )
        const attempt = (fromStages: ReadonlyArray<"in_call" | "ready">) =>
          recordLeadAttempt({
            leadId: t.leadId,
            fromStages,
            update: progress(t.status, day0 + 60_000),
            event: { kind: "outcome", detail: {} },
            agentAfter: {
              agentId,
              change: { state: "Online", stateSince: day0 + 60_000, wrapUpUntil: null, legRetryAt: null },
            },
          })
        const before = yield* agentRow
        expect(Option.isNone(yield* attempt(["ready"]))).toBe(true)
        expect(yield* agentRow).toEqual(before)
        expect(before).toMatchObject({ state: "WrapUp", dueAt: day0 + 600_000 })
        expect(Option.isSome(yield* attempt(["in_call"]))).toBe(true)
        expect(yield* agentRow).toEqual({ state: "Online", currentCallId: null, workingLeadId: null, dueAt: null })
      }),
    )

    it.effect("moves the lead and writes its event, the call's disposition and the conversions together", () =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        const at = day0 + 60_000
        const written = yield* recordLeadAttempt({
          leadId: t.leadId,
          fromStages: ["in_call", "wrap_up"],
          update: progress(t.status, at),
          event: { kind: "outcome", detail: { disposition: "Consultation booked" } },
          outcome: { callId: t.callId, agentId: t.agentId, campaignId: t.campaignId, dispositionId: t.booking },
        })
        expect(Option.isSome(written)).toBe(true)
        const lead = Option.getOrThrow(written)
        expect({ stage: lead.stage, attempts: lead.attempts, nextAttemptAt: lead.nextAttemptAt }).toEqual({
          stage: "waiting",
          attempts: 1,
          nextAttemptAt: at + 3_600_000,
        })
        expect((yield* history(t.leadId)).map((e) => e.kind)).toEqual(["created", "outcome"])
        expect(yield* dispositionOf(t.callId)).toBe(t.booking)
        expect(yield* conversions(t.leadId)).toEqual([{ kind: "consultation_booked", callId: t.callId }])
      }),
    )

    it.effect("writes nothing at all when the lead is no longer in one of the stages (a lost race)", () =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        const sql = yield* SqlClient
        yield* sql`UPDATE leads SET stage = 'ready' WHERE id = ${t.leadId}`
        const written = yield* recordLeadAttempt({
          leadId: t.leadId,
          fromStages: ["in_call", "wrap_up"],
          update: progress(t.status, day0 + 60_000),
          event: { kind: "outcome", detail: {} },
          outcome: { callId: t.callId, agentId: t.agentId, campaignId: t.campaignId, dispositionId: t.booking },
        })
        expect(Option.isNone(written)).toBe(true)
        const rows = yield* sql<{ stage: string; attempts: number }>`SELECT stage, attempts FROM leads
          WHERE id = ${t.leadId}`
        expect(rows).toEqual([{ stage: "ready", attempts: 0 }])
        expect((yield* history(t.leadId)).map((e) => e.kind)).toEqual(["created"])
        expect(yield* dispositionOf(t.callId)).toBeNull()
        expect(yield* conversions(t.leadId)).toEqual([])
      }),
    )

    it.effect("an attempt without an outcome (nobody reached) leaves the call and the conversions alone", () =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        const written = yield* recordLeadAttempt({
          leadId: t.leadId,
          fromStages: ["in_call"],
          update: progress(t.status, day0 + 60_000),
          event: { kind: "attempt", detail: { result: "no-answer" } },
        })
        expect(Option.map(written, (l) => l.stage)).toEqual(Option.some("waiting"))
        expect((yield* history(t.leadId)).map((e) => e.kind)).toEqual(["created", "attempt"])
        expect(yield* dispositionOf(t.callId)).toBeNull()
        expect(yield* conversions(t.leadId)).toEqual([])
      }),
    )

    it.effect("an outcome that converts nothing sets the disposition and records no conversion", () =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        const written = yield* recordLeadAttempt({
          leadId: t.leadId,
          fromStages: ["in_call", "wrap_up"],
          update: progress(t.status, day0 + 60_000),
          event: { kind: "outcome", detail: {} },
          outcome: { callId: t.callId, agentId: t.agentId, campaignId: t.campaignId, dispositionId: t.plain },
        })
        expect(Option.isSome(written)).toBe(true)
        expect(yield* dispositionOf(t.callId)).toBe(t.plain)
        expect(yield* conversions(t.leadId)).toEqual([])
      }),
    )
  })

  describe("findLeadWithHistory", () => {
    it.effect("gives the lead and its history in order, as findLead and leadHistory do", () =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        yield* recordLeadAttempt({
          leadId: t.leadId,
          fromStages: ["in_call"],
          update: progress(t.status, day0 + 60_000),
          event: {
            kind: "attempt",
            detail: { result: "no-answer", nested: { tries: [1, 2] }, note: 'it\'s "quoted"' },
          },
        })
        const found = yield* findLeadWithHistory(t.leadId)
        expect(Option.map(found, (f) => f.lead)).toEqual(yield* findLead(t.leadId))
        const history = Option.getOrThrow(found).history
        expect(history).toEqual(yield* leadHistory(t.leadId))
        expect(history.map((e) => [e.kind, e.at])).toEqual([
          ["created", day0],
          ["attempt", day0 + 60_000],
        ])
        expect(history[1]?.detail).toEqual({ result: "no-answer", nested: { tries: [1, 2] }, note: 'it\'s "quoted"' })
      }),
    )

    it.effect("finds nothing for an unknown lead", () =>
      Effect.gen(function* () {
        const found = yield* findLeadWithHistory("no-such-lead" as LeadId)
        expect(Option.isNone(found)).toBe(true)
      }),
    )
  })

  describe("findTenantLeadWithHistory", () => {
    it.effect("gives a lead of the tenant as findLeadWithHistory does, and nothing for another tenant's", () =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        const other = yield* leadOnCall
        const own = yield* findTenantLeadWithHistory(t.tenantId, t.leadId)
        expect(Option.isSome(own)).toBe(true)
        expect(own).toEqual(yield* findLeadWithHistory(t.leadId))
        expect(Option.isNone(yield* findTenantLeadWithHistory(other.tenantId, t.leadId))).toBe(true)
      }),
    )
  })

  describe("insertLead", () => {
    /** A tenant's lead on call, and a new lead beside it (its id with `suffix`), of the same type and status. */
    const newLeadBeside = (suffix: string) =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        const leadTypeId = Option.getOrThrow(yield* findLead(t.leadId)).leadTypeId
        const lead = {
          id: LeadId.make(`${t.leadId}${suffix}`),
          tenantId: t.tenantId,
          campaignId: t.campaignId,
          leadTypeId,
          statusId: t.status,
          name: "Ada Lovelace",
          phone: E164.make("+14155552671"),
          email: null,
          notes: "",
          now: day0 + 5,
        }
        return { t, lead }
      })

    it.effect("writes the lead, waiting to be admitted, with its created event", () =>
      Effect.gen(function* () {
        const { lead: input } = yield* newLeadBeside("-new")
        const written = yield* insertLead(input)
        const lead = Option.getOrThrow(yield* findLead(input.id))
        expect(written).toEqual(Option.some(lead))
        expect({ stage: lead.stage, nextAttemptAt: lead.nextAttemptAt, name: lead.name }).toEqual({
          stage: "waiting",
          nextAttemptAt: day0 + 5,
          name: "Ada Lovelace",
        })
        expect(yield* leadHistory(input.id)).toEqual([
          { at: day0 + 5, kind: "created", detail: { phone: "+14155552671" } },
        ])
      }),
    )

    it.effect("writes nothing into a campaign of another tenant", () =>
      Effect.gen(function* () {
        const { t, lead } = yield* newLeadBeside("-elsewhere")
        const written = yield* insertLead({ ...lead, tenantId: TenantId.make(`${t.tenantId}-other`) })
        expect(Option.isNone(written)).toBe(true)
        expect(Option.isNone(yield* findLead(lead.id))).toBe(true)
        expect(yield* leadHistory(lead.id)).toEqual([])
      }),
    )

    it.effect("writes many leads at once and returns each as written", () =>
      Effect.gen(function* () {
        const { lead } = yield* newLeadBeside("-bulk")
        const many = ["-a", "-b", "-c"].map((suffix, i) => ({
          ...lead,
          id: LeadId.make(`${lead.id}${suffix}`),
          name: `Bulk ${i}`,
          now: day0 + i,
        }))
        const written = yield* insertLeads(many)
        const read = yield* Effect.forEach(many, (l) => Effect.map(findLead(l.id), Option.getOrThrow))
        expect([...written].sort((a, b) => a.id.localeCompare(b.id))).toEqual(read)
        expect(read.map((l) => [l.name, l.stage, l.nextAttemptAt])).toEqual([
          ["Bulk 0", "waiting", day0],
          ["Bulk 1", "waiting", day0 + 1],
          ["Bulk 2", "waiting", day0 + 2],
        ])
      }),
    )

    it.effect("writes neither the lead nor an event when the lead cannot be stored", () =>
      Effect.gen(function* () {
        const { t, lead } = yield* newLeadBeside("")
        // The id is taken: the insert fails, and no second "created" event appears on the existing lead.
        const failed = yield* Effect.either(insertLead({ ...lead, name: "Duplicate" }))
        expect(failed._tag).toBe("Left")
        expect((yield* history(t.leadId)).map((e) => e.kind)).toEqual(["created"])
      }),
    )
  })

  describe("readyIfDue", () => {
    const waitingUntil = (at: number) =>
      Effect.gen(function* () {
        const t = yield* leadOnCall
        const sql = yield* SqlClient
        yield* sql`UPDATE leads SET stage = 'waiting', next_attempt_at = ${at} WHERE id = ${t.leadId}`
        return t
      })
    const stageOf = (leadId: LeadId) =>
      Effect.map(
        findLead(leadId),
        Option.map((l) => l.stage),
      )

    it.effect("makes a waiting lead whose time has come ready, and gives it back as written", () =>
      Effect.gen(function* () {
        const t = yield* waitingUntil(day0 + 1_000)
        const readied = yield* readyIfDue(t.leadId, day0 + 1_000, null)
        expect(Option.map(readied, (l) => [l.stage, l.updatedAt])).toEqual(Option.some(["ready", day0 + 1_000]))
        expect(yield* stageOf(t.leadId)).toEqual(Option.some("ready"))
      }),
    )

    it.effect("leaves a lead alone before its time, at another attempt time, or when it is not waiting", () =>
      Effect.gen(function* () {
        const t = yield* waitingUntil(day0 + 1_000)
        expect(Option.isNone(yield* readyIfDue(t.leadId, day0 + 999, null))).toBe(true)
        expect(Option.isNone(yield* readyIfDue(t.leadId, day0 + 5_000, day0 + 2_000))).toBe(true)
        expect(yield* stageOf(t.leadId)).toEqual(Option.some("waiting"))
        expect(Option.isSome(yield* readyIfDue(t.leadId, day0 + 5_000, day0 + 1_000))).toBe(true)
        // Ready now: a second call finds nothing to do.
        expect(Option.isNone(yield* readyIfDue(t.leadId, day0 + 6_000, null))).toBe(true)
      }),
    )
  })
})

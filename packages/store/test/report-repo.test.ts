import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import { AgentId, CallId, CampaignId, DispositionId, type LeadId, type TenantId } from "@ringmaster/domain"
import { Chunk, Effect, FastCheck as fc, Layer, Stream } from "effect"
import { seedTenant } from "../src/demo-seed.js"
import { Migrator } from "../src/migrator.js"
import {
  callReportRows,
  conversionReportRows,
  intakeReportRows,
  type IntakeReportRow,
  recordConversions,
  type ReportFilter,
} from "../src/report-repo.js"
import { abandonmentCounts } from "../src/stats-repo.js"
import { freshDatabase } from "./database-under-test.js"

const numRuns = (fallback: number) => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { fastCheck: { numRuns: Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, fallback) : fallback } }
}

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const DAY = 86_400_000
const day0 = Date.UTC(2024, 4, 1)

const seed = (agentCount = 2, leadCount = 4) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    const key = `r${crypto.randomUUID().slice(0, 8)}`
    const tenant = yield* seedTenant({ key, name: `Reports ${key}`, agentCount, leadCount, now: day0 })
    const otherCampaign = CampaignId.make(`${key}-campaign-other`)
    yield* sql`INSERT INTO campaigns (id, tenant_id, name, caller_id, created_at)
      VALUES (${otherCampaign}, ${tenant.tenantId}, 'Other', '+14155550101', ${day0})`
    const lead = (i: number): LeadId => {
      const id = tenant.newLeadIds[i]
      if (id === undefined) throw new Error("seedTenant made too few leads")
      return id
    }
    const agent = (i: number): AgentId => {
      const a = tenant.agents[i]
      if (a === undefined) throw new Error("seedTenant made too few agents")
      return a.agentId
    }
    const disposition = (label: string) => DispositionId.make(`${key}-disposition-${label}`)
    return { key, tenant, otherCampaign, lead, agent, disposition }
  })

interface NewCall {
  readonly id: string
  readonly tenantId: TenantId
  readonly campaignId: CampaignId
  readonly leadId: LeadId | null
  readonly agentId: AgentId | null
  readonly createdAt: number
  readonly answeredAt: number | null
  readonly amd: "human" | "machine" | null
}

const insertCall = (c: NewCall) =>
  Effect.flatMap(
    SqlClient,
    (sql) => sql`INSERT INTO calls (id, tenant_id, campaign_id, lead_id, agent_id, direction, from_number, to_number,
        phase, facts, created_at, answered_at, ended_at)
      VALUES (${c.id}, ${c.tenantId}, ${c.campaignId}, ${c.leadId}, ${c.agentId}, 'outbound', '+14155550100',
        '+14155552671', 'Ended', ${JSON.stringify({ amdResult: c.amd })}::jsonb, ${c.createdAt}, ${c.answeredAt},
        ${c.createdAt + 60_000})`,
  )

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), (rows) => Chunk.toReadonlyArray(rows))

const everything = (tenantId: TenantId): ReportFilter => ({
  tenantId,
  from: null,
  to: null,
  campaignId: null,
  agentId: null,
})

layer(database, { timeout: "180 seconds" })("report repository", (it) => {
  describe("conversions recorded through outcomes", () => {
    it.effect("writes a consultation, a case, both or nothing, as the disposition's flags say", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const { tenant, lead, agent, disposition } = yield* seed()
        const both = disposition("signed-at-consultation")
        yield* sql`INSERT INTO dispositions (id, tenant_id, label, kind, status_id, books_consultation, sells_case)
          VALUES (${both}, ${tenant.tenantId}, 'Signed at consultation', 'cadence', NULL, true, true)`
        const record = (leadId: LeadId, dispositionId: DispositionId, at: number) =>
          recordConversions({
            tenantId: tenant.tenantId,
            leadId,
            callId: null,
            agentId: agent(0),
            campaignId: tenant.campaignId,
            dispositionId,
            at,
          })
        yield* record(lead(0), disposition("consultation-booked"), day0 + 1)
        yield* record(lead(1), disposition("case-sold"), day0 + 2)
        yield* record(lead(2), both, day0 + 3)
        yield* record(lead(3), disposition("not-interested"), day0 + 4)
        const rows = yield* collect(conversionReportRows(everything(tenant.tenantId)))
        expect(rows.map((r) => [r.leadId, r.kind, r.disposition])).toEqual([
          [lead(0), "consultation_booked", "Consultation booked"],
          [lead(1), "case_sold", "Case sold"],
          [lead(2), "consultation_booked", "Signed at consultation"],
          [lead(2), "case_sold", "Signed at consultation"],
        ])
        expect(rows[0]).toMatchObject({ agentId: agent(0), campaignId: tenant.campaignId, leadStatus: "New" })
      }),
    )

    it.effect("writes nothing for a disposition of another tenant", () =>
      Effect.gen(function* () {
        const one = yield* seed()
        const two = yield* seed()
        yield* recordConversions({
          tenantId: two.tenant.tenantId,
          leadId: two.lead(0),
          callId: null,
          agentId: null,
          campaignId: null,
          dispositionId: one.disposition("consultation-booked"),
          at: day0,
        })
        expect(yield* collect(conversionReportRows(everything(two.tenant.tenantId)))).toEqual([])
        expect(yield* collect(conversionReportRows(everything(one.tenant.tenantId)))).toEqual([])
      }),
    )
  })

  describe("calls report", () => {
    const callArb = fc.record({
      // twelve-hour slots over six days: many calls share a time, so the id must break ties for the pages to be right
      slot: fc.integer({ min: 0, max: 11 }),
      campaign: fc.integer({ min: 0, max: 1 }),
      agent: fc.integer({ min: 0, max: 2 }),
    })
    const filterArb = fc.record({
      fromDay: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      days: fc.integer({ min: 1, max: 5 }),
      campaign: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
      agent: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
    })

    it.effect.prop(
      "pages through exactly the tenant's calls in the filter, oldest first, whatever the page size",
      [fc.array(callArb, { minLength: 1, maxLength: 25 }), filterArb, fc.integer({ min: 1, max: 6 })],
      ([calls, f, pageSize]) =>
        Effect.gen(function* () {
          const own = yield* seed()
          const other = yield* seed()
          const campaigns = [own.tenant.campaignId, own.otherCampaign]
          const made = calls.map((c, i) => ({
            id: `${own.key}-call-${String(i).padStart(3, "0")}`,
            tenantId: own.tenant.tenantId,
            campaignId: campaigns[c.campaign] ?? own.tenant.campaignId,
            leadId: own.lead(i % 4),
            agentId: c.agent === 2 ? null : own.agent(c.agent),
            createdAt: day0 + c.slot * 43_200_000,
            answeredAt: null,
            amd: null,
          }))
          for (const c of made) yield* insertCall(c)
          // another tenant's calls at the same times must never show
          for (const c of made) yield* insertCall({ ...c, id: `${c.id}-x`, tenantId: other.tenant.tenantId })

          const filter: ReportFilter = {
            tenantId: own.tenant.tenantId,
            from: f.fromDay === null ? null : day0 + f.fromDay * DAY,
            to: f.fromDay === null ? null : day0 + (f.fromDay + f.days) * DAY,
            campaignId: f.campaign === null ? null : (campaigns[f.campaign] ?? null),
            agentId: f.agent === null ? null : own.agent(f.agent),
          }
          const expected = made
            .filter(
              (c) =>
                (filter.from === null || c.createdAt >= filter.from) &&
                (filter.to === null || c.createdAt < filter.to) &&
                (filter.campaignId === null || c.campaignId === filter.campaignId) &&
                (filter.agentId === null || c.agentId === filter.agentId),
            )
            .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          const rows = yield* collect(callReportRows(filter, pageSize))
          expect(rows.map((r) => [r.callId, r.createdAt, r.campaignId, r.agentId])).toEqual(
            expected.map((c) => [c.id, c.createdAt, c.campaignId, c.agentId]),
          )
        }),
      numRuns(25),
    )

    const dialArb = fc.record({
      slot: fc.integer({ min: 0, max: 11 }),
      autoDialed: fc.boolean(),
      answered: fc.boolean(),
      amd: fc.constantFrom("human", "machine", "not_sure", null),
      abandoned: fc.boolean(),
    })

    it.effect.prop(
      "proves the campaign's abandonment rate: its abandoned and live-answered calls, counted from the rows, are the " +
        "campaign's own counts",
      [fc.array(dialArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 5 })],
      ([dials, fromDay]) =>
        Effect.gen(function* () {
          const sql = yield* SqlClient
          const { key, tenant } = yield* seed()
          for (const [i, d] of dials.entries()) {
            const createdAt = day0 + d.slot * 43_200_000
            const answeredAt = d.answered ? createdAt + 5_000 : null
            // only a person who answered an automatic dial can be abandoned
            const abandonedAt =
              d.autoDialed && d.answered && d.amd !== "machine" && d.abandoned ? createdAt + 9_000 : null
            yield* sql`INSERT INTO calls (id, tenant_id, campaign_id, direction, from_number, to_number, phase, facts,
                created_at, answered_at, ended_at, auto_dialed, abandoned_at)
              VALUES (${`${key}-dial-${i}`}, ${tenant.tenantId}, ${tenant.campaignId}, 'outbound', '+14155550100',
                '+14155552671', 'Ended', ${JSON.stringify(d.amd === null ? {} : { amdResult: d.amd })}::jsonb,
                ${createdAt}, ${answeredAt}, ${createdAt + 60_000}, ${d.autoDialed}, ${abandonedAt})`
          }
          const since = day0 + fromDay * DAY
          const rows = yield* collect(
            callReportRows({ ...everything(tenant.tenantId), campaignId: tenant.campaignId, from: since }),
          )
          const counted = {
            abandoned: rows.filter((r) => r.abandonedAt !== null).length,
            liveAnswered: rows.filter((r) => r.liveAnswered).length,
          }
          expect(counted).toEqual(yield* abandonmentCounts(tenant.campaignId, since))
          // a machine is never a live answer; an abandoned person always is
          for (const r of rows) {
            if (r.amdResult === "machine") expect(r.liveAnswered).toBe(false)
            if (r.abandonedAt !== null) expect(r).toMatchObject({ liveAnswered: true, autoDialed: true })
          }
        }),
      numRuns(25),
    )

    it.effect("shows the names behind the ids and the outcome of each call", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const { key, tenant, lead, agent, disposition } = yield* seed()
        const id = CallId.make(`${key}-call-named`)
        yield* insertCall({
          id,
          tenantId: tenant.tenantId,
          campaignId: tenant.campaignId,
          leadId: lead(0),
          agentId: agent(1),
          createdAt: day0,
          answeredAt: day0 + 5_000,
          amd: "human",
        })
        yield* sql`UPDATE calls SET disposition_id = ${disposition("call-back-later")}, hangup_cause = 'normal_clearing',
            source = 'Main line' WHERE id = ${id}`
        const [row] = yield* collect(callReportRows(everything(tenant.tenantId)))
        expect(row).toEqual({
          callId: id,
          createdAt: day0,
          direction: "outbound",
          leadId: lead(0),
          leadName: "Maria Garcia",
          phone: "+14155552671",
          agentId: agent(1),
          agentName: "Grace Hopper",
          campaignId: tenant.campaignId,
          campaignName: "Intake",
          source: "Main line",
          dispositionId: disposition("call-back-later"),
          disposition: "Call back later",
          phase: "Ended",
          amdResult: "human",
          answeredAt: day0 + 5_000,
          endedAt: day0 + 60_000,
          hangupCause: "normal_clearing",
          autoDialed: false,
          liveAnswered: true,
          abandonedAt: null,
        })
      }),
    )
  })

  describe("intake and consultation report", () => {
    it.effect("counts leads received and contacted, consultations and cases, per day, agent and campaign", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const { key, tenant, lead, agent, disposition, otherCampaign } = yield* seed(2, 4)
        const t = tenant.tenantId
        // leads 0 and 1 arrive on day 0, leads 2 and 3 on day 1 (lead 3 in the other campaign); 0 and 2 go to Ada
        yield* sql`UPDATE leads SET created_at = ${day0 + 3_600_000}, assigned_agent_id = ${agent(0)}
          WHERE id = ${lead(0)}`
        yield* sql`UPDATE leads SET created_at = ${day0 + 7_200_000} WHERE id = ${lead(1)}`
        yield* sql`UPDATE leads SET created_at = ${day0 + DAY + 60_000}, assigned_agent_id = ${agent(0)}
          WHERE id = ${lead(2)}`
        yield* sql`UPDATE leads SET created_at = ${day0 + DAY + 120_000}, campaign_id = ${otherCampaign},
            assigned_agent_id = ${agent(1)} WHERE id = ${lead(3)}`
        const call = (n: number, leadId: LeadId, agentId: AgentId, at: number, amd: "human" | "machine" | null) =>
          insertCall({
            id: `${key}-c${n}`,
            tenantId: t,
            campaignId: leadId === lead(3) ? otherCampaign : tenant.campaignId,
            leadId,
            agentId,
            createdAt: at,
            answeredAt: amd === null ? null : at + 3_000,
            amd,
          })
        yield* call(1, lead(0), agent(0), day0 + 4 * 3_600_000, "human") // contacted
        yield* call(2, lead(0), agent(0), day0 + 5 * 3_600_000, "human") // the same lead again: counted once
        yield* call(3, lead(1), agent(0), day0 + 6 * 3_600_000, null) // not answered
        yield* call(4, lead(2), agent(0), day0 + DAY + 3_600_000, "machine") // a machine is not a contact
        yield* call(5, lead(3), agent(1), day0 + DAY + 3_600_000, "human") // contacted
        const convert = (leadId: LeadId, label: string, agentId: AgentId, at: number) =>
          recordConversions({
            tenantId: t,
            leadId,
            callId: null,
            agentId,
            campaignId: leadId === lead(3) ? otherCampaign : tenant.campaignId,
            dispositionId: disposition(label),
            at,
          })
        yield* convert(lead(0), "consultation-booked", agent(0), day0 + 5 * 3_600_000)
        yield* convert(lead(3), "consultation-booked", agent(1), day0 + DAY + 3_600_000)
        yield* convert(lead(3), "case-sold", agent(1), day0 + DAY + 7_200_000)

        const all = everything(t)
        const counts = (rows: ReadonlyArray<IntakeReportRow>) =>
          rows.map((r) => [r.key, r.name, r.leadsReceived, r.leadsContacted, r.consultationsBooked, r.casesSold])
        expect(counts(yield* intakeReportRows(all, "day"))).toEqual([
          ["2024-05-01", null, 2, 1, 1, 0],
          ["2024-05-02", null, 2, 1, 1, 1],
        ])
        expect(counts(yield* intakeReportRows(all, "agent"))).toEqual([
          [agent(0), "Ada Lovelace", 2, 1, 1, 0],
          [agent(1), "Grace Hopper", 1, 1, 1, 1],
          [null, null, 1, 0, 0, 0],
        ])
        expect(counts(yield* intakeReportRows(all, "campaign"))).toEqual([
          [tenant.campaignId, "Intake", 3, 1, 1, 0],
          [otherCampaign, "Other", 1, 1, 1, 1],
        ])
        // narrowed to the second day and to Grace: only her lead, contact, consultation and case
        const narrowed = { ...all, from: day0 + DAY, to: day0 + 2 * DAY, agentId: agent(1) }
        expect(counts(yield* intakeReportRows(narrowed, "day"))).toEqual([["2024-05-02", null, 1, 1, 1, 1]])
        // another tenant sees none of it
        const stranger = yield* seed(1, 0)
        expect(yield* intakeReportRows(everything(stranger.tenant.tenantId), "day")).toEqual([])
      }),
    )
  })
})

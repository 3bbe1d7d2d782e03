import { DispositionId } from "@ringmaster/domain"
import type { SeededTenant } from "@ringmaster/store"
import { ConsoleClient, isNotification, isSnapshot, type SnapshotMessage } from "@ringmaster/testkit"
import { parse } from "csv-parse/sync"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

const supervisorToken = "demo-supervisor-token"
const analystToken = "demo-analyst-token"
const agentToken = "demo-agent-ada-token"
const campaignId = "demo-campaign-intake"
const leadTypeId = "demo-type-injury"

/** What the test did: one call per lead, each ended with an outcome. */
interface Made {
  readonly leadId: string
  readonly name: string
  readonly phone: string
  readonly callId: string
  readonly disposition: string
}

const download = async (baseUrl: string, token: string, path: string) => {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
  const text = await response.text()
  return { status: response.status, contentType: response.headers.get("content-type"), text }
}

/** The CSV as a spreadsheet would read it: one object per record, keyed by the header line. */
const records = (text: string): Array<Record<string, string>> => parse(text, { columns: true })

const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10)

describe("CSV reports through the real server", () => {
  let db: E2eDatabase
  let server: ServerProcess
  let acme: SeededTenant
  const made: Array<Made> = []
  const startedAt = Date.now()

  beforeAll(async () => {
    db = await e2eDatabase()
    acme = await db.seed("acme")
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "0" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("records calls and outcomes made through the console", async () => {
    const agent = await ConsoleClient.connect(server.baseUrl, agentToken)
    await agent.waitFor(isSnapshot, { what: "the first snapshot", from: 0 })
    await agent.command({ _tag: "SetState", state: "Online" })
    const people: ReadonlyArray<[string, string, string]> = [
      ['O\'Brien, "Jim"', "(415) 555-2671", "consultation-booked"],
      ['=HYPERLINK("http://evil.example","María")', "(415) 555-2672", "case-sold"],
      ["Wei\nChen 王伟", "(415) 555-2673", "not-interested"],
    ]
    for (const [name, phone, disposition] of people) {
      let mark = agent.received.length
      const created = await api(server.baseUrl, supervisorToken).post("/leads", { name, phone, leadTypeId, campaignId })
      expect(created.status).toBe(201)
      const leadId = String(created.body?.["id"])
      const notification = await agent.waitFor(isNotification, { what: `the notification for ${leadId}`, from: mark })
      mark = agent.received.length
      await agent.command({ _tag: "Accept", offerId: notification.offer.offerId })
      const answered = await agent.waitFor(
        (m): m is SnapshotMessage => isSnapshot(m) && m.agent.call?.phase === "Answered",
        { what: "the call answered", from: mark },
      )
      const callId = String(answered.agent.call?.callId)
      mark = agent.received.length
      await agent.command({ _tag: "Hangup" })
      await agent.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { what: "wrap-up", from: mark })
      mark = agent.received.length
      await agent.command({
        _tag: "SubmitOutcome",
        dispositionId: DispositionId.make(`demo-disposition-${disposition}`),
      })
      await agent.waitFor(
        (m): m is SnapshotMessage => isSnapshot(m) && m.agent.state === "Online" && m.agent.workingLeadId === null,
        { what: "back Online", from: mark },
      )
      made.push({ leadId, name, phone: String(created.body?.["phone"]), callId, disposition })
    }
    await agent.close()
    expect(made.length).toBe(3)
  }, 120_000)

  it("downloads the Calls CSV whose rows are the calls made, with their outcomes", async () => {
    const { status, contentType, text } = await download(server.baseUrl, supervisorToken, "/reports/calls.csv")
    expect(status).toBe(200)
    expect(contentType).toContain("text/csv")
    expect(text.split("\r\n")[0]).toBe(
      "call_id,started_at,direction,lead_id,lead_name,phone,agent_id,agent_name,campaign_id,campaign_name,source," +
        "disposition_id,disposition,phase,amd_result,answered_at,ended_at,duration_seconds,talk_seconds,hangup_cause," +
        "auto_dialed,live_answered,abandoned_at",
    )
    const rows = records(text)
    expect(rows.map((r) => r["call_id"])).toEqual(made.map((m) => m.callId))
    const labels: Record<string, string> = {
      "consultation-booked": "Consultation booked",
      "case-sold": "Case sold",
      "not-interested": "Not interested",
    }
    rows.forEach((row, i) => {
      const m = made[i]
      if (m === undefined) throw new Error("more rows than calls")
      expect(row).toMatchObject({
        direction: "outbound",
        lead_id: m.leadId,
        // a name that a spreadsheet would run as a formula comes out inert, every other one exactly as given
        lead_name: m.name.startsWith("=") ? `'${m.name}` : m.name,
        phone: m.phone,
        agent_id: "demo-agent-ada",
        agent_name: "Ada Lovelace",
        campaign_id: campaignId,
        campaign_name: "Intake",
        disposition_id: `demo-disposition-${m.disposition}`,
        disposition: labels[m.disposition],
        phase: "Ended",
        // dialled by the agent, answered by a person, who was talked to
        auto_dialed: "false",
        live_answered: "true",
        abandoned_at: "",
      })
      const started = Date.parse(row["started_at"] ?? "")
      expect(row["started_at"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      expect(started).toBeGreaterThanOrEqual(startedAt - 1_000)
      expect(started).toBeLessThanOrEqual(Date.now())
      expect(Date.parse(row["ended_at"] ?? "")).toBeGreaterThanOrEqual(started)
      expect(Number(row["duration_seconds"])).toBeGreaterThanOrEqual(0)
    })
  })

  it("narrows the Calls CSV by date, campaign and agent, and says which filter is wrong", async () => {
    const count = async (query: string) => {
      const { status, text } = await download(server.baseUrl, supervisorToken, `/reports/calls.csv?${query}`)
      expect(status).toBe(200)
      return records(text).length
    }
    const today = `from=${utcDay(startedAt)}&to=${utcDay(Date.now())}`
    expect(await count(today)).toBe(3)
    expect(await count(`from=${utcDay(Date.now() + 86_400_000)}`)).toBe(0)
    expect(await count(`to=${utcDay(startedAt - 86_400_000)}`)).toBe(0)
    expect(await count(`${today}&campaignId=${campaignId}&agentId=demo-agent-ada`)).toBe(3)
    expect(await count("agentId=demo-agent-grace")).toBe(0)

    const badDate = await api(server.baseUrl, supervisorToken).get("/reports/calls.csv?from=2024-13-01")
    expect(badDate.status).toBe(400)
    expect(badDate.body).toMatchObject({ _tag: "ValidationError", field: "from", value: "2024-13-01" })
    const backwards = await api(server.baseUrl, supervisorToken).get("/reports/calls.csv?from=2024-05-02&to=2024-05-01")
    expect(backwards.status).toBe(400)
    expect(backwards.body).toMatchObject({ _tag: "ValidationError", field: "to", value: "2024-05-01" })
    const unknown = await api(server.baseUrl, supervisorToken).get("/reports/calls.csv?campaignId=no-such")
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ _tag: "NotFound", resource: "campaign", id: "no-such" })
  })

  it("downloads the Consultations CSV: the consultation booked and the case sold, in order", async () => {
    const { status, text } = await download(server.baseUrl, analystToken, "/reports/consultations.csv")
    expect(status).toBe(200)
    const rows = records(text)
    expect(rows.map((r) => [r["kind"], r["lead_id"], r["disposition"], r["call_id"], r["agent_id"]])).toEqual([
      ["consultation_booked", made[0]?.leadId, "Consultation booked", made[0]?.callId, "demo-agent-ada"],
      ["case_sold", made[1]?.leadId, "Case sold", made[1]?.callId, "demo-agent-ada"],
    ])
    expect(rows.map((r) => r["lead_status"])).toEqual(["Consultation booked", "Retained"])
  })

  it("downloads the Intake & Consultation report per day and per agent", async () => {
    const byDay = records((await download(server.baseUrl, supervisorToken, "/reports/intake-consultation.csv")).text)
    const days = [...new Set([utcDay(startedAt), utcDay(Date.now())])]
    expect(byDay.map((r) => r["day"])).toEqual(expect.arrayContaining([days[0]]))
    const total = (key: string) => byDay.reduce((sum, r) => sum + Number(r[key] ?? 0), 0)
    expect([
      total("leads_received"),
      total("leads_contacted"),
      total("consultations_booked"),
      total("cases_sold"),
    ]).toEqual([3, 3, 1, 1])
    const byAgent = records(
      (await download(server.baseUrl, supervisorToken, "/reports/intake-consultation.csv?groupBy=agent")).text,
    )
    expect(byAgent).toEqual([
      {
        agent_id: "demo-agent-ada",
        agent_name: "Ada Lovelace",
        leads_received: "3",
        leads_contacted: "3",
        consultations_booked: "1",
        cases_sold: "1",
        contact_rate_pct: "100",
        consultation_rate_pct: "33.3",
        case_rate_pct: "100",
        lead_to_case_rate_pct: "33.3",
      },
    ])
    const bad = await api(server.baseUrl, supervisorToken).get("/reports/intake-consultation.csv?groupBy=week")
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ _tag: "ValidationError", field: "groupBy", value: "week" })
  })

  it("refuses an agent with 403, and shows another tenant none of it", async () => {
    for (const path of ["/reports/calls.csv", "/reports/consultations.csv", "/reports/intake-consultation.csv"]) {
      const asAgent = await api(server.baseUrl, agentToken).get(path)
      expect(asAgent.status).toBe(403)
      expect(asAgent.body).toMatchObject({ _tag: "Forbidden" })
      const stranger = await download(server.baseUrl, acme.supervisor.token, path)
      expect(stranger.status).toBe(200)
      if (path === "/reports/intake-consultation.csv") {
        // acme's own leads only, none of the demo tenant's conversions
        expect(records(stranger.text).map((r) => [r["consultations_booked"], r["cases_sold"]])).toEqual(
          records(stranger.text).map(() => ["0", "0"]),
        )
      } else {
        expect(records(stranger.text)).toEqual([])
      }
      expect((await fetch(`${server.baseUrl}${path}`)).status).toBe(401)
    }
    const guessed = await api(server.baseUrl, acme.supervisor.token).get(`/reports/calls.csv?campaignId=${campaignId}`)
    expect(guessed.status).toBe(404)
  })

  it("documents the downloads in /openapi.json as text/csv", async () => {
    const response = await fetch(`${server.baseUrl}/openapi.json`)
    const document = (await response.json()) as {
      paths: Record<string, { get?: { responses?: Record<string, { content?: Record<string, unknown> }> } }>
    }
    for (const path of ["/reports/calls.csv", "/reports/consultations.csv", "/reports/intake-consultation.csv"]) {
      expect(Object.keys(document.paths[path]?.get?.responses?.["200"]?.content ?? {})).toEqual(["text/csv"])
    }
  })
})

import { ConsoleClient, isNotification } from "@ringmaster/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

const HOUR = 3_600_000
const CAMPAIGN = "demo-campaign-intake"
const INJURY = "demo-type-injury"

type Body = Record<string, unknown>
const items = (body: Body | null) => (body?.["items"] ?? body) as Array<Body>

describe("control plane: leads, lead types, statuses, campaigns, lists, settings, queue, statistics", () => {
  let db: E2eDatabase
  let server: ServerProcess
  const supervisor = () => api(server.baseUrl, "demo-supervisor-token")
  const analyst = () => api(server.baseUrl, "demo-analyst-token")
  const bulk = (leads: Array<Body>) => supervisor().post("/leads/bulk", { leads })
  const lead = (name: string, phone: string, extra: Body = {}) => ({
    name,
    phone,
    leadTypeId: INJURY,
    campaignId: CAMPAIGN,
    ...extra,
  })

  beforeAll(async () => {
    db = await e2eDatabase()
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "3", STATS_SAMPLE_SECONDS: "1" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("edits a lead, normalising the phone and checking the time zone, and refuses bad fields by name and value", async () => {
    const created = await supervisor().post("/leads", lead("Zed Zulu", "(415) 555-2690", { email: "zed@example.com" }))
    expect(created.status).toBe(201)
    const id = String(created.body?.["id"])
    expect(created.body).toMatchObject({ stage: "ready", timeZone: null })

    const edited = await supervisor().patch(`/leads/${id}`, {
      name: "Zed Z. Zulu",
      phone: "+1 415-555-2691",
      notes: "prefers mornings",
      timeZone: "America/Chicago",
      leadTypeId: "demo-type-pre-closed",
    })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({
      name: "Zed Z. Zulu",
      phone: "+14155552691",
      notes: "prefers mornings",
      timeZone: "America/Chicago",
      leadType: "Pre-closed",
      email: "zed@example.com",
      stage: "ready",
    })

    const refusals: Array<[Body, string, string]> = [
      [{ timeZone: "Mars/Olympus" }, "timeZone", "Mars/Olympus"],
      [{ phone: "12" }, "phone", "12"],
      [{ email: "not-an-email" }, "email", "not-an-email"],
      [{ name: "  " }, "name", "  "],
      [{ leadTypeId: "nope" }, "leadTypeId", "nope"],
      [{ statusId: "nope" }, "statusId", "nope"],
    ]
    for (const [payload, field, value] of refusals) {
      const refused = await supervisor().patch(`/leads/${id}`, payload)
      expect(refused.status, field).toBe(400)
      expect(refused.body).toMatchObject({ _tag: "ValidationError", field, value })
    }
    expect((await supervisor().get(`/leads/${id}`)).body).toMatchObject({ timeZone: "America/Chicago" })

    // A status without a cadence ends the lead's dialling: it leaves the queue at once.
    const booked = await supervisor().patch(`/leads/${id}`, { statusId: "demo-status-booked" })
    expect(booked.body).toMatchObject({ status: "Consultation booked", stage: "terminal", nextAttemptAt: null })
    const queue = items((await supervisor().get(`/campaigns/${CAMPAIGN}/queue?limit=100`)).body)
    expect(queue.map((q) => q["leadId"])).not.toContain(id)
    const history = (await supervisor().get(`/leads/${id}`)).body?.["history"] as Array<Body>
    expect(history.at(-1)).toMatchObject({ kind: "edited", detail: { toStatus: "Consultation booked" } })

    // Back to a dialable status: it waits for its first attempt and is queued again.
    const revived = await supervisor().patch(`/leads/${id}`, { statusId: "demo-status-new" })
    expect(revived.body).toMatchObject({ status: "New" })
    const requeued = items((await supervisor().get(`/campaigns/${CAMPAIGN}/queue?limit=100`)).body)
    expect(requeued.map((q) => q["leadId"])).toContain(id)

    expect((await supervisor().patch("/leads/no-such-lead", { name: "X" })).status).toBe(404)
    expect((await analyst().patch(`/leads/${id}`, { name: "X" })).status).toBe(403)
  })

  it("creates leads in bulk all or nothing, naming each bad row, field and value", async () => {
    const before = items((await supervisor().get("/leads?limit=500")).body).length
    const refused = await bulk([
      lead("Bulk Good", "+1 415 555 2700"),
      lead("Bulk Bad Phone", "555"),
      lead("Bulk Bad Campaign", "+1 415 555 2702", { campaignId: "nope" }),
    ])
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({
      _tag: "BulkValidationError",
      errors: [
        { row: 1, field: "phone", value: "555" },
        { row: 2, field: "campaignId", value: "nope" },
      ],
    })
    expect(items((await supervisor().get("/leads?limit=500")).body)).toHaveLength(before)

    const tooMany = await bulk(Array.from({ length: 1_001 }, (_, i) => lead(`L${i}`, "+1 415 555 2700")))
    expect(tooMany.body).toMatchObject({ _tag: "ValidationError", field: "leads", value: "1001" })
    expect((await bulk([])).body).toMatchObject({ field: "leads", value: "0" })
    expect((await api(server.baseUrl, "demo-agent-ada-token").post("/leads/bulk", { leads: [] })).status).toBe(403)

    const made = await bulk([lead("Bulk One", "415 555 2703"), lead("Bulk Two", "415 555 2704")])
    expect(made.status).toBe(201)
    // In the request's order, each as its admission left it: ready in the queue.
    expect(items(made.body).map((l) => [l["name"], l["phone"], l["stage"]])).toEqual([
      ["Bulk One", "+14155552703", "ready"],
      ["Bulk Two", "+14155552704", "ready"],
    ])
    expect(items((await supervisor().get("/leads?limit=500")).body)).toHaveLength(before + 2)
  })

  it("refuses a body that is not JSON as bad input on the body, repeating what was sent, and changes nothing", async () => {
    const send = async (method: string, path: string, body: string) => {
      const response = await fetch(`${server.baseUrl}${path}`, {
        method,
        headers: { authorization: "Bearer demo-supervisor-token", "content-type": "application/json" },
        body,
      })
      return { status: response.status, body: (await response.json()) as Body }
    }
    const before = items((await supervisor().get("/leads?limit=500")).body).length
    const lead = await send("POST", "/leads", "name=Jane Roe&phone=4155552671")
    expect(lead.status).toBe(400)
    expect(lead.body).toMatchObject({ _tag: "ValidationError", field: "body", value: "name=Jane Roe&phone=4155552671" })
    expect(String(lead.body["message"])).toMatch(/^body: not valid JSON \(.+\)$/)
    expect(items((await supervisor().get("/leads?limit=500")).body)).toHaveLength(before)

    const settings = (await supervisor().get("/settings")).body
    const cut = await send("PATCH", "/settings", '{"callingHoursStart": 3,')
    expect(cut.status).toBe(400)
    expect(cut.body).toMatchObject({ _tag: "ValidationError", field: "body", value: '{"callingHoursStart": 3,' })
    const long = await send("POST", "/leads", `{${"x".repeat(500)}`)
    expect(String(long.body["value"])).toHaveLength(81)
    expect((await supervisor().get("/settings")).body).toEqual(settings)
  })

  it("answers input its schemas refuse with the field, what it may be and what was sent, and the issues as documented", async () => {
    const settings = (await supervisor().get("/settings")).body
    const hours = await supervisor().patch("/settings", { callingHoursStart: 30 })
    expect(hours.status).toBe(400)
    expect(hours.body).toMatchObject({
      _tag: "HttpApiDecodeError",
      message: "callingHoursStart: expected a number between 0 and 23, got 30",
    })
    expect(hours.body?.["issues"]).toContainEqual(
      expect.objectContaining({
        path: ["callingHoursStart"],
        message: "Expected a number between 0 and 23, actual 30",
      }),
    )
    expect((await supervisor().get("/settings")).body).toEqual(settings)

    const state = await supervisor().put("/agents/demo-agent-ada/state", { state: "Flying" })
    expect(state.status).toBe(400)
    expect(String(state.body?.["message"])).toMatch(/^state: expected "Online" \| .*"OnBreak", got "Flying"$/)
    const nameless = await supervisor().post("/leads", {
      phone: "(415) 555-2699",
      leadTypeId: INJURY,
      campaignId: CAMPAIGN,
    })
    expect(nameless.body).toMatchObject({ _tag: "HttpApiDecodeError", message: "name: is missing" })

    // Every refused field at once, not only the first.
    const two = await supervisor().patch("/settings", { callingHoursStart: "x", wrapUpLimitMs: 5 })
    expect(String(two.body?.["message"]).split("; ").sort()).toEqual([
      'callingHoursStart: expected number, got "x"',
      "wrapUpLimitMs: expected a number between 1000 and 86400000, got 5",
    ])
    expect((await supervisor().get("/settings")).body).toEqual(settings)
  })

  it("lists leads by every filter, a page at a time, and refuses bad filters by name", async () => {
    const type = await supervisor().post("/lead-types", { name: "Paging", initialStatusId: "demo-status-callback" })
    expect(type.status).toBe(201)
    const typeId = String(type.body?.["id"])
    const names = ["Page A", "Page B", "Page C", "Page D", "Page E"]
    const made = await bulk(names.map((n, i) => lead(n, `+1 415 555 28${10 + i}`, { leadTypeId: typeId })))
    expect(made.status).toBe(201)

    const seen: Array<string> = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await supervisor().get(
        `/leads?leadTypeId=${typeId}&limit=2${cursor === null ? "" : `&cursor=${cursor}`}`,
      )
      expect(page.status).toBe(200)
      seen.push(...items(page.body).map((l) => String(l["name"])))
      cursor = page.body?.["nextCursor"] as string | null
      pages++
    } while (cursor !== null && pages < 10)
    expect(seen).toEqual(names)
    expect(pages).toBe(3)

    const createdAt = Number(items(made.body)[2]?.["createdAt"])
    const later = await supervisor().get(`/leads?leadTypeId=${typeId}&createdFrom=${createdAt}`)
    expect(items(later.body).map((l) => l["name"])).toEqual(["Page C", "Page D", "Page E"])
    const earlier = await supervisor().get(`/leads?leadTypeId=${typeId}&createdTo=${createdAt}`)
    expect(items(earlier.body).map((l) => l["name"])).toEqual(["Page A", "Page B"])
    const byStatus = await supervisor().get(`/leads?statusId=demo-status-callback&campaignId=${CAMPAIGN}`)
    expect(items(byStatus.body).map((l) => l["name"])).toEqual(names)
    const terminal = await supervisor().get(`/leads?leadTypeId=${typeId}&stage=terminal`)
    expect(items(terminal.body)).toEqual([])
    const byAgent = await supervisor().get(`/leads?assignedAgentId=demo-agent-ada`)
    expect(items(byAgent.body)).toEqual([])

    expect((await supervisor().get("/leads?stage=lost")).body).toMatchObject({ field: "stage", value: "lost" })
    expect((await supervisor().get("/leads?limit=0")).body).toMatchObject({ field: "limit", value: "0" })
    expect((await supervisor().get("/leads?cursor=zzz")).body).toMatchObject({ field: "cursor", value: "zzz" })
    expect((await supervisor().get("/leads?createdFrom=yesterday")).body).toMatchObject({ field: "createdFrom" })
    expect((await analyst().get(`/leads?leadTypeId=${typeId}`)).status).toBe(200)
  })

  it("searches leads by name, email and phone (in any format)", async () => {
    await bulk([
      lead("Searchable Quentin", "+1 415 555 2901", { email: "q.tarantino@films.example" }),
      lead("Other Person", "+1 415 555 2902", { email: "other@example.com" }),
    ])
    const names = async (q: string) =>
      items((await supervisor().get(`/leads/search?q=${encodeURIComponent(q)}`)).body).map((l) => l["name"])
    expect(await names("quentin")).toEqual(["Searchable Quentin"])
    expect(await names("TARANTINO@films")).toEqual(["Searchable Quentin"])
    expect(await names("(415) 555-2902")).toEqual(["Other Person"])
    expect(await names("+14155552902")).toEqual(["Other Person"])
    expect(await names("nobody-like-this")).toEqual([])
    expect((await supervisor().get("/leads/search?q=a")).body).toMatchObject({ field: "q", value: "a" })
  })

  it("lets an agent search the leads of its own campaign (to dial one by hand), and nothing else", async () => {
    const other = await supervisor().post("/campaigns", { name: "Elsewhere", callerId: "+1 415 555 0199" })
    expect(other.status).toBe(201)
    await bulk([
      lead("Findable Agatha", "+1 415 555 2911"),
      { ...lead("Findable Hercule", "+1 415 555 2912"), campaignId: other.body?.["id"] },
    ])
    const ada = api(server.baseUrl, "demo-agent-ada-token")
    const found = await ada.get("/leads/search?q=findable")
    expect(found.status).toBe(200)
    expect(items(found.body).map((l) => l["name"])).toEqual(["Findable Agatha"])
    expect((await ada.get("/leads")).status).toBe(403)
  })

  it("creates and edits statuses and lead types", async () => {
    const created = await supervisor().post("/statuses", {
      name: "Hot",
      cadence: { delaysMs: [HOUR], priority: 1, finalStatusId: "demo-status-unreachable", maxAttempts: 3 },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: "Hot", dialable: true, terminal: false, cadence: { delaysMs: [HOUR] } })
    const statusId = String(created.body?.["id"])

    const bad = await supervisor().post("/statuses", {
      name: "Cold",
      cadence: { delaysMs: [-1], priority: 1, finalStatusId: "demo-status-unreachable", maxAttempts: 3 },
    })
    expect(bad.body).toMatchObject({ _tag: "ValidationError", field: "cadence.delaysMs[0]", value: "-1" })
    const both = await supervisor().post("/statuses", {
      name: "Cold",
      terminal: true,
      cadence: { delaysMs: [HOUR], priority: 1, finalStatusId: "demo-status-unreachable", maxAttempts: 3 },
    })
    expect(both.body).toMatchObject({ field: "terminal" })
    expect((await supervisor().post("/statuses", { name: "Hot" })).status).toBe(409)
    expect((await supervisor().post("/statuses", {})).body).toMatchObject({ field: "name" })

    const closed = await supervisor().patch(`/statuses/${statusId}`, { name: "Closed", cadence: null, terminal: true })
    expect(closed.body).toMatchObject({ name: "Closed", dialable: false, terminal: true, cadence: null })
    const statuses = items((await supervisor().get("/statuses")).body)
    expect(statuses.find((s) => s["id"] === statusId)).toMatchObject({ name: "Closed", terminal: true })
    expect((await supervisor().patch("/statuses/nope", { name: "X" })).status).toBe(404)

    const type = await supervisor().post("/lead-types", { name: "Referral", initialStatusId: "demo-status-new" })
    expect(type.body).toMatchObject({ name: "Referral", priorityZero: false, initialStatusId: "demo-status-new" })
    const badType = await supervisor().post("/lead-types", { name: "Web", initialStatusId: "nope" })
    expect(badType.body).toMatchObject({ field: "initialStatusId", value: "nope" })
    const renamed = await supervisor().patch(`/lead-types/${String(type.body?.["id"])}`, {
      name: "Referral (partner)",
      initialStatusId: "demo-status-callback",
    })
    expect(renamed.body).toMatchObject({ name: "Referral (partner)", initialStatusId: "demo-status-callback" })
    expect(
      (await supervisor().post("/lead-types", { name: "Pre-closed", initialStatusId: "demo-status-new" })).status,
    ).toBe(409)
    expect((await analyst().post("/statuses", { name: "Nope" })).status).toBe(403)
  })

  it("creates, edits, pauses and resumes campaigns, refusing bad settings by name and value", async () => {
    const created = await supervisor().post("/campaigns", {
      name: "Outbound blitz",
      callerId: "(415) 555-0199",
      mode: "auto",
      dialRatio: 3,
      amdMode: "detect_beep",
      maxLines: 20,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: "Outbound blitz",
      callerId: "+14155550199",
      mode: "auto",
      dialRatio: 3,
      amdMode: "detect_beep",
      maxLines: 20,
      status: "active",
    })
    const id = String(created.body?.["id"])

    const refusals: Array<[Body, string, string]> = [
      [{ dialRatio: 2.5 }, "dialRatio", "2.5"],
      [{ dialRatio: "fast" }, "dialRatio", "fast"],
      [{ amdMode: "guess" }, "amdMode", "guess"],
      [{ mode: "turbo" }, "mode", "turbo"],
      [{ maxLines: 0 }, "maxLines", "0"],
      [{ callerId: "123" }, "callerId", "123"],
    ]
    for (const [payload, field, value] of refusals) {
      const refused = await supervisor().patch(`/campaigns/${id}`, payload)
      expect(refused.status, field).toBe(400)
      expect(refused.body).toMatchObject({ _tag: "ValidationError", field, value })
    }
    expect((await supervisor().post("/campaigns", { name: "No caller id" })).body).toMatchObject({ field: "callerId" })
    expect((await supervisor().post("/campaigns", { name: "Intake", callerId: "+14155550100" })).status).toBe(409)

    const adaptive = await supervisor().patch(`/campaigns/${id}`, { dialRatio: "adaptive", mode: "manual" })
    expect(adaptive.body).toMatchObject({ dialRatio: "adaptive", mode: "manual", amdMode: "detect_beep" })
    const paused = await supervisor().post(`/campaigns/${id}/pause`, {})
    expect(paused.body).toMatchObject({ status: "paused" })
    expect(typeof paused.body?.["pausedAt"]).toBe("number")
    expect((await supervisor().get(`/campaigns/${id}`)).body).toMatchObject({ status: "paused" })
    const resumed = await supervisor().post(`/campaigns/${id}/resume`, {})
    expect(resumed.body).toMatchObject({ status: "active", pausedAt: null })
    const all = items((await analyst().get("/campaigns")).body).map((c) => c["name"])
    expect(all).toEqual(expect.arrayContaining(["Intake", "Outbound blitz"]))
    expect(all).toEqual([...all].sort())

    expect((await analyst().post(`/campaigns/${id}/pause`, {})).status).toBe(403)
    expect((await supervisor().get("/campaigns/nope")).status).toBe(404)
  })

  it("lists, adds and removes do-not-call and blacklist entries", async () => {
    const added = await supervisor().post("/dnc", { phone: "415 555 2950", reason: "asked" })
    expect(added.status).toBe(201)
    const entryId = Number(added.body?.["id"])
    const listed = items((await supervisor().get("/dnc?phone=%2B14155552950")).body)
    expect(listed.map((e) => e["id"])).toEqual([entryId])
    expect((await supervisor().get("/dnc?limit=0")).body).toMatchObject({ field: "limit" })
    const removed = await api(server.baseUrl, "demo-supervisor-token").get(`/dnc?phone=%2B14155552950`)
    expect(removed.status).toBe(200)
    const deleted = await fetch(`${server.baseUrl}/dnc/${entryId}`, {
      method: "DELETE",
      headers: { authorization: "Bearer demo-supervisor-token" },
    })
    expect(deleted.status).toBe(200)
    expect(items((await supervisor().get("/dnc?phone=%2B14155552950")).body)).toEqual([])
    const again = await fetch(`${server.baseUrl}/dnc/${entryId}`, {
      method: "DELETE",
      headers: { authorization: "Bearer demo-supervisor-token" },
    })
    expect(again.status).toBe(404)

    const black = await supervisor().post("/blacklist", { phone: "(415) 555-2960", reason: "abusive" })
    expect(black.body).toMatchObject({ phone: "+14155552960", reason: "abusive" })
    expect(items((await supervisor().get("/blacklist")).body).map((e) => e["phone"])).toContain("+14155552960")
    const off = await fetch(`${server.baseUrl}/blacklist/${encodeURIComponent("(415) 555-2960")}`, {
      method: "DELETE",
      headers: { authorization: "Bearer demo-supervisor-token" },
    })
    expect(off.status).toBe(200)
    expect(items((await supervisor().get("/blacklist")).body).map((e) => e["phone"])).not.toContain("+14155552960")
    const offAgain = await fetch(`${server.baseUrl}/blacklist/%2B14155552960`, {
      method: "DELETE",
      headers: { authorization: "Bearer demo-supervisor-token" },
    })
    expect(offAgain.status).toBe(404)
    const analystTries = await fetch(`${server.baseUrl}/blacklist/%2B14155552960`, {
      method: "DELETE",
      headers: { authorization: "Bearer demo-analyst-token" },
    })
    expect(analystTries.status).toBe(403)
  })

  it("reads and edits every default setting", async () => {
    const settings = (await supervisor().get("/settings")).body ?? {}
    for (const key of [
      "notificationRecipients",
      "notificationTimeoutMs",
      "wrapUpLimitMs",
      "assignmentDurationMs",
      "autoDialRatio",
      "abandonmentWarnRate",
      "abandonmentPauseRate",
      "callingHoursStart",
      "callingHoursEnd",
      "queueDepletionThreshold",
    ]) {
      expect(settings, key).toHaveProperty(key)
    }
    const edited = await supervisor().patch("/settings", { autoDialRatio: 3, wrapUpLimitMs: 5 * 60_000 })
    expect(edited.body).toMatchObject({ autoDialRatio: 3, wrapUpLimitMs: 300_000 })
    await supervisor().patch("/settings", {
      autoDialRatio: settings["autoDialRatio"],
      wrapUpLimitMs: settings["wrapUpLimitMs"],
    })
  })

  it("shows the queue with the rule that placed each lead and who it is", async () => {
    const top = items((await supervisor().get(`/campaigns/${CAMPAIGN}/queue?limit=3`)).body)
    expect(top).toHaveLength(3)
    expect(top.map((q) => q["position"])).toEqual([1, 2, 3])
    expect(top[0]).toMatchObject({
      rule: "scheduled",
      name: "Maria Garcia",
      status: "New",
      leadType: "Personal injury",
    })

    await supervisor().put("/lead-types/demo-type-pre-closed/priority-zero", { priorityZero: true })
    const after = items((await supervisor().get(`/campaigns/${CAMPAIGN}/queue?limit=3`)).body)
    expect(after[0]).toMatchObject({ rule: "priority-0", leadType: "Pre-closed" })
    await supervisor().put("/lead-types/demo-type-pre-closed/priority-zero", { priorityZero: false })

    expect((await supervisor().get(`/campaigns/${CAMPAIGN}/queue?limit=0`)).body).toMatchObject({ field: "limit" })
    expect((await api(server.baseUrl, "demo-agent-ada-token").get(`/campaigns/${CAMPAIGN}/queue`)).status).toBe(403)
  })

  it("stops hand-outs while a campaign is paused, and starts them again on resume", async () => {
    expect((await supervisor().post(`/campaigns/${CAMPAIGN}/pause`, {})).body).toMatchObject({ status: "paused" })
    const ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    try {
      await ada.command({ _tag: "SetState", state: "Online" })
      await new Promise((r) => setTimeout(r, 1_500))
      expect(ada.received.filter((r) => isNotification(r.message))).toEqual([])
      const mark = ada.received.length
      expect((await supervisor().post(`/campaigns/${CAMPAIGN}/resume`, {})).body).toMatchObject({ status: "active" })
      await ada.waitFor(isNotification, { from: mark, what: "a notification after resume" })
    } finally {
      await ada.close()
    }
  }, 30_000)

  it("gives live statistics and a time series for the supervisor's charts", async () => {
    const stats = await analyst().get(`/campaigns/${CAMPAIGN}/stats`)
    expect(stats.status).toBe(200)
    const body = stats.body ?? {}
    const queue = items((await supervisor().get(`/campaigns/${CAMPAIGN}/queue?limit=1000`)).body)
    // Ada holds the one offer of the previous test; everything else created today waits in the queue.
    expect(body["leads"]).toMatchObject({ offered: 1, ready: queue.length })
    expect(body["agentsPerState"]).toMatchObject({ Online: 1, Offline: 1, OnCall: 0 })
    const agents = body["agents"] as Array<Body>
    expect(agents.find((a) => a["agentId"] === "demo-agent-ada")).toMatchObject({ state: "Online" })
    const speed = body["speedToLead"] as Body
    expect(speed["measured"]).toBe(1)
    expect(speed["p50Ms"]).toBe(speed["p90Ms"])
    expect(Number(speed["p50Ms"])).toBeGreaterThan(0)
    expect(body["today"]).toEqual({ attempts: 0, contacts: 0 })
    expect(body["abandonment"]).toMatchObject({
      abandoned: 0,
      liveAnswered: 0,
      rate: null,
      level: "ok",
      windowDays: 30,
    })
    expect(body["occupancy"]).toMatchObject({ talkMs: 0, wrapMs: 0, rate: 0 })
    expect(Number((body["occupancy"] as Body)["loggedInMs"])).toBeGreaterThan(0)

    await new Promise((r) => setTimeout(r, 1_200))
    const series = items((await supervisor().get(`/campaigns/${CAMPAIGN}/stats/series`)).body)
    expect(series.length).toBeGreaterThan(0)
    const last = series.at(-1) ?? {}
    expect(last).toMatchObject({ offered: 1, agentsPerState: { Online: 1 } })
    expect(Number(last["ready"])).toBe(queue.length)

    expect((await supervisor().get(`/campaigns/${CAMPAIGN}/stats?since=${Date.now() + HOUR}`)).body).toMatchObject({
      field: "since",
    })
    expect((await api(server.baseUrl, "demo-agent-ada-token").get(`/campaigns/${CAMPAIGN}/stats`)).status).toBe(403)
    expect((await supervisor().get("/campaigns/nope/stats")).status).toBe(404)
  })

  it("documents every error of every control-plane endpoint with its status and tagged body", async () => {
    const doc = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
    }
    const expected: Array<[string, string, Array<string>]> = [
      ["/leads/bulk", "post", ["400", "403"]],
      ["/leads/{leadId}", "patch", ["400", "403", "404", "409"]],
      ["/leads/search", "get", ["400"]],
      ["/campaigns", "post", ["400", "403", "409"]],
      ["/campaigns/{campaignId}", "patch", ["400", "403", "404", "409"]],
      ["/campaigns/{campaignId}/pause", "post", ["403", "404"]],
      ["/statuses/{statusId}", "patch", ["400", "403", "404", "409"]],
      ["/dnc/{entryId}", "delete", ["403", "404"]],
      ["/blacklist/{phone}", "delete", ["400", "403", "404"]],
      ["/campaigns/{campaignId}/stats", "get", ["400", "403", "404"]],
      ["/callbacks", "get", ["400", "403"]],
      ["/callbacks/{taskId}/done", "post", ["403", "404"]],
    ]
    for (const [path, method, statuses] of expected) {
      const responses = doc.paths[path]?.[method]?.responses ?? {}
      for (const status of statuses) expect(responses, `${method} ${path} ${status}`).toHaveProperty(status)
    }
  })
})

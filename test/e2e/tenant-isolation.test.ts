import { DispositionId, LeadId } from "@ringmaster/domain"
import type { SeededTenant } from "@ringmaster/store"
import { ConsoleClient, isNotification, isSnapshot } from "@ringmaster/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"
import { http, login, openSocket } from "./support/auth-client.js"

describe("tenant isolation and acting as oneself", () => {
  let db: E2eDatabase
  let server: ServerProcess
  let acme: SeededTenant

  beforeAll(async () => {
    db = await e2eDatabase()
    acme = await db.seed("acme")
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "2" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("a supervisor of another tenant cannot read, list, queue or post into the demo tenant, even knowing ids", async () => {
    const intruder = api(server.baseUrl, acme.supervisor.token)
    expect((await intruder.get("/leads/demo-lead-1")).status).toBe(404)
    expect((await intruder.get("/campaigns/demo-campaign-intake/queue")).status).toBe(404)
    expect((await intruder.get("/agents/demo-agent-ada")).status).toBe(404)
    const listed = await intruder.get("/leads?campaignId=demo-campaign-intake")
    expect(listed.status).toBe(200)
    expect(listed.body?.["items"]).toEqual([])
    const posted = await intruder.post("/leads", {
      name: "Smuggled",
      phone: "+1 415 555 2671",
      leadTypeId: "demo-type-injury",
      campaignId: "demo-campaign-intake",
    })
    expect(posted.status).toBe(404)
    // With a lead type of its own, the lead is refused as it would be written: nothing lands in the demo campaign.
    const smuggled = await intruder.post("/leads", {
      name: "Smuggled Again",
      phone: "+1 415 555 2672",
      leadTypeId: acme.leadTypes.injury,
      campaignId: "demo-campaign-intake",
    })
    expect(smuggled.status).toBe(404)
    expect(smuggled.body).toMatchObject({ _tag: "NotFound", resource: "campaign", id: "demo-campaign-intake" })
    // and its own data is there
    const own = await intruder.get(`/leads/${acme.newLeadIds[0]}`)
    expect(own.status).toBe(200)
    expect(own.body).toMatchObject({ tenantId: "acme" })
  })

  it("an agent changes only its own state, and cannot create leads", async () => {
    const ada = api(server.baseUrl, "demo-agent-ada-token")
    expect((await ada.put("/agents/demo-agent-grace/state", { state: "Online" })).status).toBe(403)
    expect((await ada.get("/agents/demo-agent-grace")).status).toBe(403)
    const own = await ada.put("/agents/demo-agent-ada/state", { state: "OnBreak" })
    expect(own.status).toBe(409)
    expect(own.body).toMatchObject({ _tag: "CommandRefused", code: "illegal-transition" })
    const created = await ada.post("/leads", {
      name: "Self Made",
      phone: "+1 415 555 2671",
      leadTypeId: "demo-type-injury",
      campaignId: "demo-campaign-intake",
    })
    expect(created.status).toBe(403)
  })

  it("a WebSocket needs a valid token, and a supervisor's console takes no agent commands", async () => {
    await expect(ConsoleClient.connect(server.baseUrl, "no-such-token")).rejects.toThrow(/401/)
    const supervisor = await ConsoleClient.connect(server.baseUrl, "demo-supervisor-token")
    const hello = await supervisor.waitFor((m) => m._tag === "Hello", { from: 0, what: "hello" })
    expect(hello).toMatchObject({ role: "supervisor", name: "Sam Supervisor" })
    await expect(supervisor.command({ _tag: "SetState", state: "Online" })).rejects.toThrow(/not-an-agent/)
    await supervisor.close()
  })
  /** One call in the demo tenant, made by Ada: offered, accepted, hung up, with its outcome. */
  const demoCall = async (): Promise<string> => {
    const ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    await ada.waitFor(isSnapshot, { from: 0, what: "Ada's snapshot" })
    let mark = ada.received.length
    await ada.command({ _tag: "SetState", state: "Online" })
    const offer = await ada.waitFor(isNotification, { from: mark, what: "an offer for Ada" })
    mark = ada.received.length
    await ada.command({ _tag: "Accept", offerId: offer.offer.offerId })
    const onCall = await ada.waitFor((m) => isSnapshot(m) && m.agent.call !== null, { from: mark, what: "the call" })
    const callId = isSnapshot(onCall) ? (onCall.agent.call?.callId ?? "") : ""
    mark = ada.received.length
    await ada.command({ _tag: "Hangup" })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { from: mark, what: "wrap-up" })
    await ada.command({ _tag: "SubmitOutcome", dispositionId: DispositionId.make("demo-disposition-not-interested") })
    await ada.command({ _tag: "SetState", state: "Busy" })
    await ada.close()
    return callId
  }

  it("every role of another tenant gets 404 for the demo tenant's ids: leads, campaigns, agents, users, config", async () => {
    const leaks: Array<string> = []
    for (const role of ["admin", "supervisor", "manager", "analyst"] as const) {
      const intruder = http(server.baseUrl, acme[role].token)
      const probes: ReadonlyArray<readonly [string, string, unknown?]> = [
        ["GET", "/leads/demo-lead-1"],
        ["PATCH", "/leads/demo-lead-1", { notes: "smuggled" }],
        ["GET", "/campaigns/demo-campaign-intake"],
        ["PATCH", "/campaigns/demo-campaign-intake", { name: "Hijacked" }],
        ["POST", "/campaigns/demo-campaign-intake/pause"],
        ["GET", "/campaigns/demo-campaign-intake/queue"],
        ["GET", "/campaigns/demo-campaign-intake/stats"],
        ["PUT", "/campaigns/demo-campaign-intake/depletion-alert", { threshold: 1 }],
        ["GET", "/agents/demo-agent-ada"],
        ["PUT", "/agents/demo-agent-ada/state", { state: "Online" }],
        ["PUT", "/lead-types/demo-type-injury/priority-zero", { priorityZero: true }],
        ["PATCH", "/lead-types/demo-type-injury", { name: "Hijacked" }],
        ["PATCH", "/statuses/demo-status-new", { name: "Hijacked" }],
        [
          "PUT",
          "/cadences/demo-status-new",
          { delaysMs: [1], priority: 1, finalStatusId: "demo-status-unreachable", maxAttempts: 1 },
        ],
        ["POST", "/dnc", { leadId: "demo-lead-1" }],
        ["GET", "/reports/calls.csv?campaignId=demo-campaign-intake"],
        ["GET", "/reports/calls.csv?agentId=demo-agent-ada"],
        ["GET", "/users/demo-user-ada"],
        ["PATCH", "/users/demo-user-ada", { name: "Hijacked" }],
        ["POST", "/users/demo-user-ada/disable"],
        ["PUT", "/users/demo-user-ada/password", { password: "taken over, sorry" }],
      ]
      for (const [method, path, body] of probes) {
        const reply = await intruder.request(method, path, body)
        // readers without the power to write get their 403 before any lookup; everything else must be 404
        const refusedByRole =
          reply.status === 403 && ((role === "analyst" && method !== "GET") || path.startsWith("/users"))
        if (reply.status !== 404 && !refusedByRole)
          leaks.push(`${role} ${method} ${path}: ${reply.status} ${reply.text}`)
        if (reply.status === 404) expect(reply.body).toMatchObject({ _tag: "NotFound" })
      }
    }
    expect(leaks).toEqual([])
    // nothing of the demo tenant changed
    const demo = http(server.baseUrl, "demo-admin-token")
    expect((await demo.get("/leads/demo-lead-1")).body).toMatchObject({ notes: "" })
    expect((await demo.get("/campaigns/demo-campaign-intake")).body).toMatchObject({ name: "Intake", status: "active" })
    expect((await demo.get("/users/demo-user-ada")).body).toMatchObject({ name: "Ada Lovelace", disabled: false })
    expect(((await demo.get("/dnc")).body as Array<unknown>).length).toBe(0)
  })

  it("lists, searches and reports of another tenant show none of the demo tenant's records", async () => {
    const callId = await demoCall()
    expect(callId).not.toBe("")
    const ownReport = await http(server.baseUrl, "demo-analyst-token").get("/reports/calls.csv")
    expect(ownReport.text).toContain(callId)

    const intruder = http(server.baseUrl, acme.analyst.token)
    const report = await intruder.get("/reports/calls.csv")
    expect(report.status).toBe(200)
    expect(report.text).not.toContain(callId)
    expect(report.text).not.toContain("demo-")
    for (const path of ["/leads", "/leads/search?q=Maria", "/agents", "/campaigns", "/users", "/tenants", "/dnc"]) {
      const reply = await http(server.baseUrl, acme.admin.token).get(path)
      expect(reply.status, path).toBe(200)
      expect(reply.text, path).not.toContain("demo-")
    }
  }, 60_000)

  it("another tenant's agent cannot dial, nor its users log in to, the demo tenant", async () => {
    const intruder = await ConsoleClient.connect(server.baseUrl, acme.agents[0]?.token ?? "")
    await intruder.waitFor(isSnapshot, { from: 0, what: "the intruder's snapshot" })
    // Online, it gets one of its own leads; ignoring it makes it Busy, from where an agent may dial by hand
    const mark = intruder.received.length
    await intruder.command({ _tag: "SetState", state: "Online" })
    const own = await intruder.waitFor(isNotification, { from: mark, what: "the intruder's own offer" })
    await intruder.command({ _tag: "Ignore", offerId: own.offer.offerId })
    await expect(intruder.command({ _tag: "Dial", leadId: LeadId.make("demo-lead-2") })).rejects.toThrow(
      /lead-not-found/,
    )
    await intruder.close()
    const lead = await http(server.baseUrl, "demo-supervisor-token").get("/leads/demo-lead-2")
    expect(lead.body).toMatchObject({ attempts: 0 })
    // a demo password with the other tenant's name, and the other tenant's token for the demo's logout
    const refused = await http(server.baseUrl).post("/auth/login", {
      tenant: "acme",
      username: "admin",
      password: "admin-demo-password",
    })
    expect(refused.status).toBe(401)
    const session = await login(server.baseUrl, "demo", "admin", "admin-demo-password")
    const me = await http(server.baseUrl, session.token).get("/auth/me")
    const tokenId = (me.body as { credential: { id: string } }).credential.id
    expect((await http(server.baseUrl, acme.admin.token).del(`/auth/tokens/${tokenId}`)).status).toBe(404)
    expect((await http(server.baseUrl, session.token).get("/auth/me")).status).toBe(200)
  }, 60_000)

  it("a supervisor's console hears nothing of another tenant's agents", async () => {
    const watcher = await openSocket(server.baseUrl, acme.supervisor.token)
    const demoWatcher = await openSocket(server.baseUrl, "demo-supervisor-token")
    await http(server.baseUrl, "demo-supervisor-token").put("/agents/demo-agent-grace/state", { state: "Online" })
    await http(server.baseUrl, "demo-supervisor-token").put("/agents/demo-agent-grace/state", { state: "OnBreak" })
    await new Promise((r) => setTimeout(r, 1_500))
    expect(JSON.stringify(demoWatcher.messages)).toContain("demo-agent-grace")
    expect(JSON.stringify(watcher.messages)).not.toContain("demo-")
    watcher.socket.close()
    demoWatcher.socket.close()
  })
})

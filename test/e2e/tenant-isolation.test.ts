import type { SeededTenant } from "@ringmaster/store"
import { ConsoleClient } from "@ringmaster/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

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
})

import type { SeededTenant } from "@ringmaster/store"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { http } from "./support/auth-client.js"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { startServer, type ServerProcess } from "./support/server-process.js"

type Body = Record<string, unknown>

const GRACE = "demo-agent-grace"

describe("a supervisor sets where an agent's leg is dialled", () => {
  let db: E2eDatabase
  let server: ServerProcess
  let acme: SeededTenant
  const supervisor = () => http(server.baseUrl, "demo-supervisor-token")
  const setEndpoint = (agentId: string, legEndpoint: string | null, token = "demo-supervisor-token") =>
    http(server.baseUrl, token).put(`/agents/${agentId}/leg-endpoint`, { legEndpoint })
  const endpointOf = async (agentId: string) => {
    const one = await supervisor().get(`/agents/${agentId}`)
    expect(one.status).toBe(200)
    const listed = await supervisor().get("/agents")
    expect(listed.status).toBe(200)
    const inList = (listed.body as ReadonlyArray<Body>).find((a) => a["agentId"] === agentId)
    // the view and the listing agree
    expect(inList?.["legEndpoint"]).toEqual((one.body as Body)["legEndpoint"])
    return (one.body as Body)["legEndpoint"]
  }

  beforeAll(async () => {
    db = await e2eDatabase()
    acme = await db.seed("acme")
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "2" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("sets a SIP URI and a number given in national format (stored in E.164), reads them back, clears it", async () => {
    expect(await endpointOf(GRACE)).toBe(`sip:${GRACE}@agents.ringmaster.local`)

    const sip = await setEndpoint(GRACE, "sip:grace@pbx.example.com")
    expect(sip.status).toBe(200)
    expect(sip.body).toMatchObject({ agentId: GRACE, state: "Offline", legEndpoint: "sip:grace@pbx.example.com" })
    expect(await endpointOf(GRACE)).toBe("sip:grace@pbx.example.com")

    const phone = await setEndpoint(GRACE, "(415) 555-2671")
    expect(phone.status).toBe(200)
    expect(phone.body).toMatchObject({ legEndpoint: "+14155552671" })
    expect(await endpointOf(GRACE)).toBe("+14155552671")

    const cleared = await setEndpoint(GRACE, null)
    expect(cleared.status).toBe(200)
    expect(cleared.body).toMatchObject({ legEndpoint: null })
    expect(await endpointOf(GRACE)).toBeNull()
  })

  it("refuses what is neither a number nor a sip:user@host URI with a 400 naming the field and the value", async () => {
    expect((await setEndpoint(GRACE, "sip:grace@pbx.example.com")).status).toBe(200)
    const bad = [
      "sip:grace hopper@pbx.example.com",
      `sip:${"g".repeat(240)}@pbx.example.com`,
      "sip:grace",
      "sip:@pbx.example.com",
      "tel:+14155552671",
      "555-12",
      "call grace",
      "",
    ]
    for (const value of bad) {
      const reply = await setEndpoint(GRACE, value)
      expect(reply.status, value).toBe(400)
      expect(reply.body, value).toMatchObject({ _tag: "ValidationError", field: "legEndpoint", value })
      expect(String((reply.body as Body)["message"]), value).toContain(`"${value}"`)
    }
    expect(await endpointOf(GRACE)).toBe("sip:grace@pbx.example.com")
  })

  it("answers 404 for another tenant's agent and leaves it as it was", async () => {
    const agentId = acme.agents[0]?.agentId ?? ""
    const reply = await setEndpoint(agentId, "sip:intruder@pbx.example.com")
    expect(reply.status).toBe(404)
    expect(reply.body).toMatchObject({ _tag: "NotFound", resource: "agent", id: agentId })
    const own = await http(server.baseUrl, acme.supervisor.token).get(`/agents/${agentId}`)
    expect(own.body).toMatchObject({ legEndpoint: `sip:${agentId}@agents.ringmaster.local` })
  })

  it("answers 403 to an agent, for itself as for another agent", async () => {
    for (const agentId of ["demo-agent-ada", GRACE]) {
      const reply = await setEndpoint(agentId, "sip:ada@pbx.example.com", "demo-agent-ada-token")
      expect(reply.status).toBe(403)
      expect(reply.body).toMatchObject({ _tag: "Forbidden" })
    }
    const own = await http(server.baseUrl, "demo-agent-ada-token").get("/agents/demo-agent-ada")
    expect(own.body).toMatchObject({ legEndpoint: "sip:demo-agent-ada@agents.ringmaster.local" })
  })

  it("documents the endpoint in the OpenAPI description", async () => {
    const spec = (await http(server.baseUrl).get("/openapi.json")).body as Body
    const paths = spec["paths"] as Record<string, Record<string, Body>>
    const put = paths["/agents/{agentId}/leg-endpoint"]?.["put"]
    expect(String(put?.["description"])).toContain("next Online dials the new endpoint")
  })

  it("creates an agent user with a leg endpoint, checked like the agent's", async () => {
    const admin = http(server.baseUrl, "demo-admin-token")
    const user = (username: string, legEndpoint: string | null, role = "agent") => ({
      username,
      name: `Agent ${username}`,
      role,
      password: "a long enough secret",
      legEndpoint,
    })
    const created = await admin.post("/users", user("linus", "415 555 2680"))
    expect(created.status).toBe(201)
    const agentId = String((created.body as Body)["agentId"])
    expect(await endpointOf(agentId)).toBe("+14155552680")

    const none = await admin.post("/users", user("ken", null))
    expect(none.status).toBe(201)
    expect(await endpointOf(String((none.body as Body)["agentId"]))).toBeNull()

    const bad = await admin.post("/users", user("dennis", "sip:dennis ritchie@pbx.example.com"))
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ field: "legEndpoint", value: "sip:dennis ritchie@pbx.example.com" })
    const notAgent = await admin.post("/users", user("bjarne", "sip:bjarne@pbx.example.com", "analyst"))
    expect(notAgent.status).toBe(400)
    expect(notAgent.body).toMatchObject({ field: "legEndpoint" })
  })
})

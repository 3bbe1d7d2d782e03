import { DispositionId } from "@ringmaster/domain"
import { ConsoleClient, isSnapshot } from "@ringmaster/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"
import { postDemoLead } from "./support/demo-lead.js"

const hourIn = (zone: string): number =>
  Number(new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", hourCycle: "h23" }).format(new Date()))
/** A one-hour window that does not contain the current hour in `zone`. */
const closedWindow = (zone: string) => {
  const h = hourIn(zone)
  return h < 12 ? { start: h + 2, end: h + 3 } : { start: h - 3, end: h - 2 }
}

describe("compliance gates on every dial", () => {
  let db: E2eDatabase
  let server: ServerProcess
  let ada: ConsoleClient

  beforeAll(async () => {
    db = await e2eDatabase()
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "0" })
    ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    await ada.command({ _tag: "SetState", state: "Online" })
    await ada.command({ _tag: "SetState", state: "Busy" })
  }, 120_000)

  afterAll(async () => {
    await ada?.close()
    await server?.stop()
    await db?.dispose()
  })

  const supervisor = () => api(server.baseUrl, "demo-supervisor-token")
  const post = (name: string, phone: string) => postDemoLead(server.baseUrl, name, phone)

  const queued = async () =>
    (
      (await supervisor().get("/campaigns/demo-campaign-intake/queue?limit=100")).body as unknown as Array<{
        leadId: string
      }>
    ).map((q) => q.leadId)

  it("refuses a number on the tenant's do-not-call list, and a lead put on it at any of its numbers", async () => {
    const byNumber = await post("Do Not Call", "+1 415 555 2901")
    const bystander = await post("Someone Else", "+1 415 555 2902")
    expect(await queued()).toEqual(expect.arrayContaining([byNumber, bystander]))
    const added = await supervisor().post("/dnc", { phone: "(415) 555-2901", reason: "asked not to be called" })
    expect(added.status).toBe(201)
    // the listed lead leaves the queue at once, for good: no agent is offered a lead that may not be called
    expect(await queued()).not.toContain(byNumber)
    expect(await queued()).toContain(bystander)
    expect((await supervisor().get(`/leads/${byNumber}`)).body).toMatchObject({
      stage: "terminal",
      nextAttemptAt: null,
    })
    await expect(ada.command({ _tag: "Dial", leadId: byNumber })).rejects.toThrow(
      /dial-blocked:dnc-number.*do-not-call/,
    )
    const byLead = await post("Opted Out", "+1 415 555 2911")
    expect((await supervisor().post("/dnc", { leadId: byLead, reason: "verbal opt-out" })).status).toBe(201)
    expect(await queued()).not.toContain(byLead)
    await expect(ada.command({ _tag: "Dial", leadId: byLead })).rejects.toThrow(/dial-blocked:dnc/)
    const bad = await supervisor().post("/dnc", { phone: "12" })
    expect(bad.body).toMatchObject({ _tag: "ValidationError", field: "phone", value: "12" })
  })

  it("refuses a dial outside the calling hours in the lead's local time", async () => {
    const lead = await post("Night Owl", "+1 415 555 2902")
    const { start, end } = closedWindow("America/Los_Angeles")
    expect((await supervisor().patch("/settings", { callingHoursStart: start, callingHoursEnd: end })).status).toBe(200)
    await expect(ada.command({ _tag: "Dial", leadId: lead })).rejects.toThrow(/dial-blocked:outside-calling-hours/)
    expect((await supervisor().patch("/settings", { callingHoursStart: 0, callingHoursEnd: 24 })).status).toBe(200)
  })

  it("applies a tenant's rule for the number's state: its hours, then its calls per 24 hours", async () => {
    const lead = await post("Florida Lead", "+1 305 555 2903")
    const { start, end } = closedWindow("America/New_York")
    const strict = await supervisor().put("/state-rules/FL", { startHour: start, endHour: end, maxCallsPer24h: null })
    expect(strict.status).toBe(200)
    await expect(ada.command({ _tag: "Dial", leadId: lead })).rejects.toThrow(/dial-blocked:state-hours/)

    expect((await supervisor().put("/state-rules/FL", { startHour: 0, endHour: 24, maxCallsPer24h: 1 })).status).toBe(
      200,
    )
    const mark = ada.received.length
    await ada.command({ _tag: "Dial", leadId: lead })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "OnCall", { from: mark, what: "the first call" })
    await ada.command({ _tag: "Hangup" })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { from: mark, what: "wrap-up" })
    await ada.command({ _tag: "SubmitOutcome", dispositionId: DispositionId.make("demo-disposition-no-answer") })
    await ada.command({ _tag: "SetState", state: "Busy" })
    await expect(ada.command({ _tag: "Dial", leadId: lead })).rejects.toThrow(/dial-blocked:state-frequency/)

    const invalid = await supervisor().put("/state-rules/ZZ", { startHour: 8, endHour: 20, maxCallsPer24h: 3 })
    expect(invalid.status).toBe(400)
    expect(invalid.body).toMatchObject({ field: "state", value: "ZZ" })
  }, 60_000)

  it("records every refusal with its reason", async () => {
    const blocks = await supervisor().get("/dial-blocks")
    const reasons = (blocks.body as unknown as Array<{ reason: string }>).map((b) => b.reason).sort()
    expect(reasons).toEqual(
      // the lead's entry names its number too, so both refusals read as "number on the list"
      ["dnc-number", "dnc-number", "outside-calling-hours", "state-frequency", "state-hours"].sort(),
    )
  })
})

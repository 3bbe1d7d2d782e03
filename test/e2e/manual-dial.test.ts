import { DispositionId, LeadId } from "@ringmaster/domain"
import { ConsoleClient, isNotification, isSnapshot, type SnapshotMessage } from "@ringmaster/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"
import { postDemoLead } from "./support/demo-lead.js"

describe("manual dial from the console", () => {
  let db: E2eDatabase
  let server: ServerProcess

  beforeAll(async () => {
    db = await e2eDatabase()
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "0" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  const post = (name: string, phone: string) => postDemoLead(server.baseUrl, name, phone)

  it("a Busy agent dials a queued lead by hand; a lead on offer to someone else is refused", async () => {
    const ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    const grace = await ConsoleClient.connect(server.baseUrl, "demo-agent-grace-token")
    await ada.command({ _tag: "SetState", state: "Online" })
    await ada.command({ _tag: "SetState", state: "Busy" })
    const first = await post("Manual One", "+1 415 555 2801")

    let mark = ada.received.length
    await ada.command({ _tag: "Dial", leadId: first })
    const dialing = await ada.waitFor((m): m is SnapshotMessage => isSnapshot(m) && m.agent.state === "OnCall", {
      from: mark,
      what: "OnCall",
    })
    expect(dialing.agent).toMatchObject({ workingLeadId: first, call: { to: "+14155552801" } })
    const lead = await api(server.baseUrl, "demo-supervisor-token").get(`/leads/${first}`)
    expect(lead.body).toMatchObject({ stage: "in_call", assignedAgentId: "demo-agent-ada" })
    expect((lead.body?.["history"] as Array<{ kind: string }>).map((e) => e.kind)).toContain("manual-dial")

    mark = ada.received.length
    await ada.command({ _tag: "Hangup" })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { from: mark, what: "wrap-up" })
    await ada.command({
      _tag: "SubmitOutcome",
      dispositionId: DispositionId.make("demo-disposition-not-interested"),
    })
    await ada.command({ _tag: "SetState", state: "Busy" })

    mark = grace.received.length
    await grace.command({ _tag: "SetState", state: "Online" })
    const second = await post("Manual Two", "+1 415 555 2802")
    await grace.waitFor(isNotification, { from: mark, what: "Grace's notification" })
    await expect(ada.command({ _tag: "Dial", leadId: second })).rejects.toThrow(/lead-unavailable.*offered/)
    await expect(ada.command({ _tag: "Dial", leadId: LeadId.make("no-such-lead") })).rejects.toThrow(/lead-not-found/)
    await ada.close()
    await grace.close()
  }, 60_000)
})

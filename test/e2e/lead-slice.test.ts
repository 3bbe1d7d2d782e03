import { SqlClient } from "@effect/sql/SqlClient"
import { DispositionId } from "@ringmaster/domain"
import { ConsoleClient, isNotification, isSnapshot, type SnapshotMessage } from "@ringmaster/testkit"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

const supervisorToken = "demo-supervisor-token"
const agentToken = "demo-agent-ada-token"
const campaignId = "demo-campaign-intake"
const leadTypeId = "demo-type-injury"

describe("one lead through the real stack (auto-dialer off)", () => {
  let db: E2eDatabase
  let server: ServerProcess
  let leadId = ""
  let callId = ""

  beforeAll(async () => {
    db = await e2eDatabase()
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "0" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("refuses a bad phone with 400 naming the field and the value, and writes nothing", async () => {
    const client = api(server.baseUrl, supervisorToken)
    const before = await client.get(`/leads?campaignId=${campaignId}`)
    const response = await client.post("/leads", { name: "Bad Number", phone: "555-12", leadTypeId, campaignId })
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ _tag: "ValidationError", field: "phone", value: "555-12" })
    const after = await client.get(`/leads?campaignId=${campaignId}`)
    expect((after.body?.["items"] as Array<unknown>).length).toBe((before.body?.["items"] as Array<unknown>).length)
  })

  it("answers 404 for an unknown campaign and 401 without a valid token", async () => {
    const client = api(server.baseUrl, supervisorToken)
    const missing = await client.post("/leads", {
      name: "Nobody",
      phone: "(415) 555-2671",
      leadTypeId,
      campaignId: "no-such",
    })
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ _tag: "NotFound", resource: "campaign", id: "no-such" })
    const anonymous = await api(server.baseUrl, "wrong-token").get("/leads")
    expect(anonymous.status).toBe(401)
    // without TELNYX_PUBLIC_KEY no webhook can be verified, so none is applied
    const webhook = await fetch(`${server.baseUrl}/webhooks/telnyx`, { method: "POST", body: "{}" })
    expect(webhook.status).toBe(503)
  })

  it("answers a console message it cannot read with a Failure naming the field and the value, and keeps the console", async () => {
    const agent = await ConsoleClient.connect(server.baseUrl, agentToken)
    await agent.waitFor(isSnapshot, { what: "the first snapshot", from: 0 })
    const failure = async (text: string) => {
      const from = agent.received.length
      agent.sendRaw(text)
      const reply = await agent.waitFor((m) => m._tag === "Failure", { what: `the failure for ${text}`, from })
      return reply._tag === "Failure" ? { code: reply.code, message: reply.message } : null
    }
    expect(await failure('{"_tag":"SetState","state":"Flying"}')).toEqual({
      code: "bad-message",
      message: 'the message could not be read: state: expected "Online" | "OnBreak" | "Busy" | "Offline", got "Flying"',
    })
    expect(await failure('{"_tag":"Accept"}')).toEqual({
      code: "bad-message",
      message: "the message could not be read: offerId: is missing",
    })
    expect((await failure("Online please"))?.message).toMatch(/^the message could not be read: Unexpected token/)
    // The console is still open and still obeyed.
    await agent.command({ _tag: "SetState", state: "Online" })
    const view = await api(server.baseUrl, supervisorToken).get("/agents/demo-agent-ada")
    expect(view.body).toMatchObject({ state: "Online" })
    await agent.command({ _tag: "SetState", state: "Offline" })
    await agent.close()
  })

  it("offers a posted lead to an Online agent, who calls, hangs up and records an outcome", async () => {
    const agent = await ConsoleClient.connect(server.baseUrl, agentToken)
    await agent.waitFor(isSnapshot, { what: "the first snapshot", from: 0 })
    await agent.command({ _tag: "SetState", state: "Online" })

    const mark0 = agent.received.length
    const created = await api(server.baseUrl, supervisorToken).post("/leads", {
      name: "Jane Roe",
      phone: "(415) 555-2671",
      leadTypeId,
      campaignId,
      notes: "came through the web form",
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ phone: "+14155552671", status: "New" })
    leadId = String(created.body?.["id"])

    const notification = await agent.waitFor(isNotification, { what: "the notification", from: mark0 })
    expect(notification.offer.lead).toMatchObject({ id: leadId, name: "Jane Roe", phone: "+14155552671" })
    const mark1 = agent.received.length
    await agent.command({ _tag: "Accept", offerId: notification.offer.offerId })

    const answered = await agent.waitFor(
      (m): m is SnapshotMessage => isSnapshot(m) && m.agent.call?.phase === "Answered",
      {
        what: "the call answered by the simulated carrier",
        from: mark1,
      },
    )
    expect(answered.agent.state).toBe("OnCall")
    callId = String(answered.agent.call?.callId)
    let mark = agent.received.length
    await agent.command({ _tag: "Hangup" })
    await agent.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { what: "wrap-up", from: mark })
    mark = agent.received.length
    await agent.command({
      _tag: "SubmitOutcome",
      dispositionId: DispositionId.make("demo-disposition-call-back-later"),
    })
    const online = await agent.waitFor(
      (m): m is SnapshotMessage => isSnapshot(m) && m.agent.state === "Online" && m.agent.workingLeadId === null,
      { what: "back Online", from: mark },
    )
    expect(online.agent.call).toBeNull()

    const lead = await api(server.baseUrl, supervisorToken).get(`/leads/${leadId}`)
    expect(lead.body).toMatchObject({ status: "Call back", attempts: 1, assignedAgentId: "demo-agent-ada" })
    expect((lead.body?.["history"] as Array<{ kind: string }>).map((e) => e.kind)).toEqual([
      "created",
      "accepted",
      "outcome",
    ])
    // exactly one notification for this lead was shown
    const shown = agent.received.filter((r) => r.message._tag === "Notification" && r.message.offer.lead.id === leadId)
    expect(shown.length).toBe(1)
    await agent.close()
  }, 60_000)

  it("leaves the final state in the database once the server has stopped", async () => {
    expect(await server.stop()).toBe(0)
    const rows = await db.inspect(
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const lead = yield* sql<{ phone: string; statusId: string; attempts: number }>`
          SELECT phone, status_id, attempts FROM leads WHERE id = ${leadId}`
        const call = yield* sql<{ phase: string; dispositionId: string; toNumber: string }>`
          SELECT phase, disposition_id, to_number FROM calls WHERE id = ${callId}`
        const events = yield* sql<{
          kind: string
        }>`SELECT kind FROM call_events WHERE call_id = ${callId} ORDER BY at, id`
        return { lead, call, events }
      }),
    )
    expect(rows.lead).toEqual([{ phone: "+14155552671", statusId: "demo-status-callback", attempts: 1 }])
    expect(rows.call).toEqual([
      { phase: "Ended", dispositionId: "demo-disposition-call-back-later", toNumber: "+14155552671" },
    ])
    expect(rows.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["CallInitiated", "CallAnswered", "CallHangup"]),
    )
  }, 30_000)
})

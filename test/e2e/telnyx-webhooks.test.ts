import { SqlClient } from "@effect/sql/SqlClient"
import { DispositionId } from "@ringmaster/domain"
import { ConsoleClient, isNotification, isSnapshot, type SnapshotMessage } from "@ringmaster/testkit"
import { Effect } from "effect"
import { generateKeyPairSync } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeTelnyxApi } from "../../packages/carrier-telnyx/test/fake-telnyx-api.js"
import type { E2eDatabase } from "./support/database-mode.js"
import { api, type ServerProcess } from "./support/server-process.js"
import { startTelnyxServer, type TelnyxServer } from "./support/telnyx-server.js"

const apiKey = "KEY0123456789E2E"

describe("Telnyx: commands through the SDK to a local fake, signed webhooks back through the ingress", () => {
  let telnyx: TelnyxServer
  let db: E2eDatabase
  let server: ServerProcess
  let fake: FakeTelnyxApi
  let callId = ""

  const postWebhook = (rawBody: string, headers: Record<string, string>) => telnyx.deliver({ rawBody, headers })

  beforeAll(async () => {
    telnyx = await startTelnyxServer({ fake: { apiKey, duplicateWebhooks: true }, connectionId: "conn-e2e" })
    db = telnyx.db
    server = telnyx.server
    fake = telnyx.fake
  }, 120_000)

  afterAll(async () => {
    await telnyx?.stop()
  })

  it("places the accepted lead's call through the SDK and follows the call from its webhooks", async () => {
    const ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    await ada.command({ _tag: "SetState", state: "Online" })
    const created = await api(server.baseUrl, "demo-supervisor-token").post("/leads", {
      name: "Telnyx Lead",
      phone: "(415) 555-2890",
      leadTypeId: "demo-type-injury",
      campaignId: "demo-campaign-intake",
    })
    expect(created.status).toBe(201)
    const notification = await ada.waitFor(isNotification, { from: 0, what: "the notification" })
    let mark = ada.received.length
    await ada.command({ _tag: "Accept", offerId: notification.offer.offerId })
    const answered = await ada.waitFor(
      (m): m is SnapshotMessage => isSnapshot(m) && m.agent.call?.phase === "Answered",
      {
        from: mark,
        what: "the answer webhook",
      },
    )
    callId = String(answered.agent.call?.callId)

    const requests = await Effect.runPromise(fake.requests)
    const dial = requests.find((r) => r.method === "POST" && r.path === "/v2/calls")
    expect(dial?.headers["authorization"]).toBe(`Bearer ${apiKey}`)
    expect(dial?.body).toMatchObject({
      connection_id: "conn-e2e",
      to: "+14155552890",
      from: "+14155550100",
      client_state: Buffer.from(callId).toString("base64"),
      command_id: callId,
    })

    mark = ada.received.length
    await ada.command({ _tag: "Hangup" })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { from: mark, what: "the hangup webhook" })
    const hangup = (await Effect.runPromise(fake.requests)).find((r) => r.path.endsWith("/actions/hangup"))
    expect(hangup).toBeDefined()
    await ada.command({ _tag: "SubmitOutcome", dispositionId: DispositionId.make("demo-disposition-no-answer") })
    await ada.close()
    expect(await Effect.runPromise(fake.deliveryFailures)).toEqual([])
  }, 60_000)

  it("refuses unsigned, wrongly signed, stale and malformed webhooks, and ignores unknown types", async () => {
    const body = JSON.stringify({
      data: {
        record_type: "event",
        event_type: "call.hangup",
        id: "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
        occurred_at: new Date().toISOString(),
        payload: { call_control_id: "v3:nope", hangup_cause: "normal_clearing", client_state: null },
      },
    })
    expect((await postWebhook(body, {})).status).toBe(401)
    const stranger = generateKeyPairSync("ed25519").privateKey
    const forged = fake.sign(body, { privateKey: stranger })
    expect((await postWebhook(forged.rawBody, { ...forged.headers })).status).toBe(401)
    const stale = fake.sign(body, { timestamp: Math.floor(Date.now() / 1000) - 301 })
    expect((await postWebhook(stale.rawBody, { ...stale.headers })).status).toBe(401)
    const altered = fake.sign(body)
    expect(
      (await postWebhook(altered.rawBody.replace("normal_clearing", "normal_clearinG"), { ...altered.headers })).status,
    ).toBe(401)
    const malformed = fake.sign('{"data": {"event_type": 42}}')
    expect((await postWebhook(malformed.rawBody, { ...malformed.headers })).status).toBe(400)
    const unknown = fake.sign(
      JSON.stringify({
        data: { event_type: "call.recording.saved", id: "x1", occurred_at: new Date().toISOString(), payload: {} },
      }),
    )
    const unknownReply = await postWebhook(unknown.rawBody, { ...unknown.headers })
    expect(unknownReply.status).toBe(200)
    expect(await unknownReply.json()).toMatchObject({ applied: false })
  })

  it("recorded each distinct Telnyx event once on the call's log, though every webhook came twice", async () => {
    await server.stop()
    const events = await db.inspect(
      Effect.gen(function* () {
        const sql = yield* SqlClient
        return yield* sql<{
          eventId: string
          kind: string
        }>`SELECT event_id, kind FROM call_events WHERE call_id = ${callId}`
      }),
    )
    const kinds = events.map((e) => e.kind)
    expect(kinds).toEqual(expect.arrayContaining(["CallInitiated", "CallAnswered", "CallHangup"]))
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length)
    const calls = await db.inspect(
      Effect.gen(function* () {
        const sql = yield* SqlClient
        return yield* sql<{
          phase: string
          hangupCause: string
        }>`SELECT phase, hangup_cause FROM calls WHERE id = ${callId}`
      }),
    )
    expect(calls).toEqual([{ phase: "Ended", hangupCause: "normal_clearing" }])
  }, 30_000)
})

import { LeadId } from "@ringmaster/domain"
import { ConsoleClient, isSnapshot } from "@ringmaster/testkit"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeTelnyxApi, SignedWebhook } from "../../packages/carrier-telnyx/test/fake-telnyx-api.js"
import { telnyxMessageReceivedBody } from "../../packages/carrier-telnyx/test/telnyx-webhook-body.js"
import { api, type ServerProcess } from "./support/server-process.js"
import { postDemoLead } from "./support/demo-lead.js"
import { startTelnyxServer, type TelnyxServer } from "./support/telnyx-server.js"

const apiKey = "KEY0123456789SMS"
const mainLine = "+14155550199"
const notOurs = "+14155550000"

interface Delivery {
  readonly webhook: SignedWebhook
  readonly status: number
  readonly body: unknown
}

interface DncView {
  readonly phone: string
  readonly leadId: string | null
  readonly source: string
  readonly reason: string | null
}

describe("SMS opt-out: a STOP to one of our numbers puts the sender on the tenant's do-not-call list at once", () => {
  let telnyx: TelnyxServer
  let server: ServerProcess
  let fake: FakeTelnyxApi
  let ada: ConsoleClient
  const deliveries: Array<Delivery> = []
  const supervisor = () => api(server.baseUrl, "demo-supervisor-token")

  const delivery = async (webhook: SignedWebhook, response: Response): Promise<Delivery> => ({
    webhook,
    status: response.status,
    body: await response.json(),
  })
  const postWebhook = async (webhook: SignedWebhook): Promise<Delivery> =>
    delivery(webhook, await telnyx.deliver(webhook))

  /** Texts `text` from `from` to `to` through the fake, and gives the ingress's answer to its webhook. */
  const textIn = async (from: string, to: string, text: string): Promise<Delivery> => {
    const before = deliveries.length
    await Effect.runPromise(fake.textIn({ from, to, text }))
    for (const deadline = Date.now() + 10_000; deliveries.length === before;) {
      if (Date.now() > deadline) throw new Error(`the webhook of "${text}" was not delivered`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const delivery = deliveries[before]
    if (delivery === undefined) throw new Error("no delivery")
    return delivery
  }

  const dnc = async (): Promise<ReadonlyArray<DncView>> => {
    const listed = await supervisor().get("/dnc")
    expect(listed.status).toBe(200)
    return listed.body as unknown as ReadonlyArray<DncView>
  }

  const history = async (leadId: LeadId) =>
    ((await supervisor().get(`/leads/${leadId}`)).body?.["history"] as Array<{
      kind: string
      detail: Record<string, unknown>
    }>) ?? []

  const post = (name: string, phone: string) => postDemoLead(server.baseUrl, name, phone)

  beforeAll(async () => {
    telnyx = await startTelnyxServer({
      fake: { apiKey },
      connectionId: "conn-sms",
      onDelivery: async (webhook, response) => {
        deliveries.push(await delivery(webhook, response))
      },
    })
    server = telnyx.server
    fake = telnyx.fake
    // Whatever the hour, only the do-not-call list may refuse a dial here.
    expect((await supervisor().patch("/settings", { callingHoursStart: 0, callingHoursEnd: 24 })).status).toBe(200)
    // Busy, not Online: the leads posted below are not offered to her, she dials them by hand.
    ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    await ada.command({ _tag: "SetState", state: "Online" })
    await ada.command({ _tag: "SetState", state: "Busy" })
  }, 120_000)

  afterAll(async () => {
    await ada?.close()
    await telnyx?.stop()
  })

  it("a lead texts Stop: its number is listed for the lead, its history says so, and the dial is refused", async () => {
    const leadId = await post("Texter", "+1 415 555 2961")
    const queued = async () =>
      (
        (await supervisor().get("/campaigns/demo-campaign-intake/queue?limit=100")).body as unknown as Array<{
          leadId: string
        }>
      ).map((q) => q.leadId)
    expect(await queued()).toContain(leadId)
    const stop = await textIn("+14155552961", mainLine, "Stop")
    expect([stop.status, stop.body]).toEqual([200, { applied: true, optOut: true }])
    // the lead leaves the queue at once, for good
    expect(await queued()).not.toContain(leadId)
    expect((await supervisor().get(`/leads/${leadId}`)).body).toMatchObject({ stage: "terminal" })

    const listed = (await dnc()).filter((e) => e.phone === "+14155552961")
    expect(listed).toEqual([
      expect.objectContaining({
        phone: "+14155552961",
        leadId,
        source: "opt-out-sms",
        reason: `SMS "Stop" to ${mainLine}`,
      }),
    ])
    const optedOut = (await history(leadId)).filter((e) => e.kind === "opted-out")
    expect(optedOut).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ channel: "sms", text: "Stop", to: mainLine }) }),
    ])

    // Telnyx delivers the same webhook again when the first answer is slow: nothing more is written.
    const again = await postWebhook(stop.webhook)
    expect([again.status, again.body]).toEqual([200, { applied: true, optOut: true }])
    expect((await dnc()).filter((e) => e.phone === "+14155552961")).toHaveLength(1)
    expect((await history(leadId)).filter((e) => e.kind === "opted-out")).toHaveLength(1)

    await expect(ada.command({ _tag: "Dial", leadId })).rejects.toThrow(/dial-blocked:dnc-number/)
    const dials = (await Effect.runPromise(fake.requests)).filter((r) => r.path === "/v2/calls")
    expect(dials).toEqual([])
  }, 60_000)

  it("a STOP from a number no lead has puts the number on the list without a lead", async () => {
    const stop = await textIn("+14155552964", mainLine, "  UNSUBSCRIBE! ")
    expect(stop.body).toEqual({ applied: true, optOut: true })
    expect((await dnc()).filter((e) => e.phone === "+14155552964")).toEqual([
      expect.objectContaining({ leadId: null, source: "opt-out-sms", reason: `SMS "UNSUBSCRIBE!" to ${mainLine}` }),
    ])
  })

  it("a text that is not an opt-out, and a STOP to a number we do not have, change nothing", async () => {
    const leadId = await post("Chatty", "+1 415 555 2962")
    const before = await dnc()
    const chat = await textIn("+14155552962", mainLine, "stop calling me at 5?")
    expect([chat.status, chat.body]).toEqual([200, { applied: false, reason: "not an opt-out" }])
    const elsewhere = await textIn("+14155552962", notOurs, "STOP")
    expect([elsewhere.status, elsewhere.body]).toEqual([200, { applied: false, reason: "not one of our numbers" }])
    expect(await dnc()).toEqual(before)
    expect((await history(leadId)).filter((e) => e.kind === "opted-out")).toEqual([])

    const mark = ada.received.length
    await ada.command({ _tag: "Dial", leadId })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "OnCall", { from: mark, what: "the dial" })
    await ada.command({ _tag: "Hangup" })
  }, 60_000)

  it("answers a message.received without its sender with a 400 naming the field", async () => {
    const body = telnyxMessageReceivedBody({
      id: "5c6f3a1e-0b7a-4e3b-9d56-0b1f3a1e5c6f",
      messageId: "0b1f3a1e-5c6f-4e3b-9d56-5c6f3a1e0b7a",
      occurredAt: new Date().toISOString(),
      from: "+14155552965",
      to: mainLine,
      text: "STOP",
    })
    const { from: _from, ...withoutSender } = body.data.payload
    const malformed = await postWebhook(
      fake.sign(JSON.stringify({ ...body, data: { ...body.data, payload: withoutSender } })),
    )
    expect(malformed.status).toBe(400)
    expect(malformed.body).toMatchObject({
      _tag: "ValidationError",
      message: expect.stringContaining("data.payload.from"),
    })
    expect((await dnc()).filter((e) => e.phone === "+14155552965")).toEqual([])
  })
})

import { DispositionId } from "@ringmaster/domain"
import {
  ConsoleClient,
  isInboundRing,
  isNotification,
  isSnapshot,
  type NotificationMessage,
  type SnapshotMessage,
} from "@ringmaster/testkit"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeTelnyxApi } from "../../packages/carrier-telnyx/test/fake-telnyx-api.js"
import { api, type ServerProcess } from "./support/server-process.js"
import { startTelnyxServer, type TelnyxServer } from "./support/telnyx-server.js"

const apiKey = "KEY0123456789INBOUND"
const mainLine = "+14155550199"

describe("inbound calls: ring-all, first answer wins, collisions, blacklist, no answer", () => {
  let telnyx: TelnyxServer
  let server: ServerProcess
  let fake: FakeTelnyxApi
  let ada: ConsoleClient
  let grace: ConsoleClient
  const supervisor = () => api(server.baseUrl, "demo-supervisor-token")
  const history = async (leadId: string) =>
    ((await supervisor().get(`/leads/${leadId}`)).body?.["history"] as Array<{
      kind: string
      detail: Record<string, unknown>
    }>) ?? []

  beforeAll(async () => {
    // outbound calls ring 4 s before the far end answers: long enough for an inbound call to collide with one;
    // a spoken message lasts 20 ms a character
    telnyx = await startTelnyxServer({
      fake: { apiKey, timing: { answerAfterMs: 4_000, speakMsPerChar: 20 } },
      connectionId: "conn-inbound",
    })
    server = telnyx.server
    fake = telnyx.fake
    expect((await supervisor().patch("/settings", { inboundRingTimeoutMs: 5_000 })).status).toBe(200)
    ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    grace = await ConsoleClient.connect(server.baseUrl, "demo-agent-grace-token")
  }, 120_000)

  afterAll(async () => {
    await ada?.close()
    await grace?.close()
    await telnyx?.stop()
  })

  it("a signed inbound webhook rings both agents; the first to answer gets the call, the other's ring is withdrawn", async () => {
    await ada.command({ _tag: "SetState", state: "Online" })
    await grace.command({ _tag: "SetState", state: "Online" })
    const adaMark = ada.received.length
    const graceMark = grace.received.length
    await Effect.runPromise(fake.callIn({ from: "+14155552950", to: mainLine }))
    const ring = await ada.waitFor(isInboundRing, { from: adaMark, what: "Ada's ring" })
    const graceRing = await grace.waitFor(isInboundRing, { from: graceMark, what: "Grace's ring" })
    expect(graceRing.offer.offerId).toBe(ring.offer.offerId)
    expect(ring.offer.lead).toMatchObject({ phone: "+14155552950", name: "Caller +14155552950" })

    await ada.command({ _tag: "Accept", offerId: ring.offer.offerId })
    const onCall = await ada.waitFor((m): m is SnapshotMessage => isSnapshot(m) && m.agent.state === "OnCall", {
      from: adaMark,
      what: "Ada on the call",
    })
    expect(onCall.agent.call).toMatchObject({ phase: "Answered", leadId: ring.offer.lead.id })
    const withdrawn = await grace.waitFor((m) => m._tag === "NotificationWithdrawn", { from: graceMark })
    expect(withdrawn).toMatchObject({ offerId: ring.offer.offerId, reason: "taken" })
    await expect(grace.command({ _tag: "Accept", offerId: ring.offer.offerId })).rejects.toThrow(/no-such-offer/)
    const answer = (await Effect.runPromise(fake.requests)).find((r) => r.path.endsWith("/actions/answer"))
    expect(answer).toBeDefined()

    const mark = ada.received.length
    await ada.command({ _tag: "Hangup" })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { from: mark, what: "wrap-up" })
    await ada.command({
      _tag: "SubmitOutcome",
      dispositionId: DispositionId.make("demo-disposition-consultation-booked"),
    })
    const lead = await supervisor().get(`/leads/${ring.offer.lead.id}`)
    expect(lead.body).toMatchObject({ status: "Consultation booked", assignedAgentId: "demo-agent-ada" })
  }, 60_000)

  it("an inbound call from a lead being dialled cancels the dial and is routed to an agent", async () => {
    // Grace takes a break so that Ada gets the outbound offer, then comes back for the inbound call
    await grace.command({ _tag: "SetState", state: "OnBreak" })
    const created = await supervisor().post("/leads", {
      name: "Collider",
      phone: "+1 415 555 2960",
      leadTypeId: "demo-type-injury",
      campaignId: "demo-campaign-intake",
    })
    const leadId = String(created.body?.["id"])
    const offer = await ada.waitFor((m): m is NotificationMessage => isNotification(m) && m.offer.lead.id === leadId, {
      from: 0,
      what: "the outbound offer",
    })
    const adaMark = ada.received.length
    await ada.command({ _tag: "Accept", offerId: offer.offer.offerId })
    await grace.command({ _tag: "SetState", state: "Online" })
    const graceMark = grace.received.length

    await Effect.runPromise(fake.callIn({ from: "+14155552960", to: mainLine }))
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", {
      from: adaMark,
      what: "Ada's dial cancelled",
    })
    const ring = await grace.waitFor(isInboundRing, { from: graceMark, what: "Grace's ring" })
    expect(ring.offer.lead.id).toBe(leadId)
    await grace.command({ _tag: "Accept", offerId: ring.offer.offerId })

    const events = await history(leadId)
    expect(events.find((e) => e.kind === "attempt-cancelled")?.detail).toMatchObject({
      note: "Outbound cancelled - inbound collision",
    })
    const lead = await supervisor().get(`/leads/${leadId}`)
    expect(lead.body).toMatchObject({ stage: "in_call", assignedAgentId: "demo-agent-grace" })
    // Ada has nothing to record for a lead that went to Grace: she is released
    await expect(
      ada.command({ _tag: "SubmitOutcome", dispositionId: DispositionId.make("demo-disposition-no-answer") }),
    ).rejects.toThrow(/lead-not-yours/)
    const released = await supervisor().get("/agents/demo-agent-ada")
    expect(released.body).toMatchObject({ state: "Online", workingLeadId: null })
    await grace.command({ _tag: "Hangup" })
  }, 60_000)

  it("rejects a blacklisted caller, and leaves a callback task when nobody answers", async () => {
    expect((await supervisor().post("/blacklist", { phone: "+1 415 555 2970", reason: "abusive" })).status).toBe(201)
    const graceMark = grace.received.length
    const blocked = await Effect.runPromise(fake.callIn({ from: "+14155552970", to: mainLine }))
    for (let i = 0; i < 40; i++) {
      const hung = (await Effect.runPromise(fake.requests)).some(
        (r) =>
          r.path === `/v2/calls/${encodeURIComponent(blocked.carrierCallId)}/actions/hangup` ||
          r.path.includes(`${blocked.carrierCallId}/actions/hangup`),
      )
      if (hung) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(
      (await Effect.runPromise(fake.requests)).some((r) => r.path.includes(`${blocked.carrierCallId}/actions/hangup`)),
    ).toBe(true)
    expect(grace.received.slice(graceMark).some((r) => isInboundRing(r.message))).toBe(false)

    // everyone away: the call rings nobody and ends after the ring timeout with a callback task on the lead
    await ada.command({ _tag: "SetState", state: "OnBreak" }).catch(() => undefined)
    await grace.command({ _tag: "SetState", state: "OnBreak" }).catch(() => undefined)
    const message = "Sorry, nobody can take your call. We will call you back today."
    expect((await supervisor().patch("/settings", { inboundNoAnswerMessage: message })).status).toBe(200)
    const unanswered = await Effect.runPromise(fake.callIn({ from: "+14155552980", to: mainLine }))
    let leadId = ""
    for (let i = 0; i < 100 && leadId === ""; i++) {
      const leads = (await supervisor().get("/leads?limit=100")).body?.["items"] as Array<{ id: string; phone: string }>
      leadId = leads.find((l) => l.phone === "+14155552980")?.id ?? ""
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(leadId).not.toBe("")
    for (let i = 0; i < 120; i++) {
      if ((await history(leadId)).some((e) => e.kind === "callback-task")) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect((await history(leadId)).map((e) => e.kind)).toContain("callback-task")
    // supervisors see whom to call back, and mark it done
    const open = await supervisor().get("/callbacks")
    expect(open.status).toBe(200)
    const task = (open.body as unknown as Array<Record<string, unknown>>).find((t) => t["leadId"] === leadId)
    expect(task).toMatchObject({ phone: "+14155552980", reason: "missed inbound call", doneAt: null })
    // the caller's lead waits at the top of the queue, marked as a callback since the missed call
    const queued = async () =>
      (
        (await supervisor().get(`/campaigns/${String(task?.["campaignId"])}/queue?limit=50`)).body as unknown as Array<
          Record<string, unknown>
        >
      ).find((q) => q["leadId"] === leadId)
    for (let i = 0; i < 50 && (await queued()) === undefined; i++) await new Promise((r) => setTimeout(r, 100))
    expect(await queued()).toMatchObject({ rule: "recycled", callbackSince: task?.["createdAt"] })
    const done = await supervisor().post(`/callbacks/${String(task?.["id"])}/done`, {})
    expect(done.status).toBe(200)
    expect(typeof done.body?.["doneAt"]).toBe("number")
    expect(await queued()).toMatchObject({ callbackSince: null })
    const after = (await supervisor().get("/callbacks")).body as unknown as Array<Record<string, unknown>>
    expect(after.some((t) => t["leadId"] === leadId)).toBe(false)
    expect((await supervisor().post("/callbacks/987654321/done", {})).status).toBe(404)
    // the caller was answered, heard the tenant's message, and was hung up on once it had been spoken
    const toCaller = async () =>
      (await Effect.runPromise(fake.requests)).filter((r) => r.path.includes(`${unanswered.carrierCallId}/actions/`))
    for (let i = 0; i < 50 && !(await toCaller()).some((r) => r.path.endsWith("/hangup")); i++) {
      await new Promise((r) => setTimeout(r, 100))
    }
    const requests = await toCaller()
    expect(requests.map((r) => r.path.split("/").at(-1))).toEqual(["answer", "speak", "hangup"])
    expect(requests[1]?.body).toMatchObject({ payload: message, voice: "female", language: "en-US" })
    const [, speak, hangup] = requests
    expect((hangup?.at ?? 0) - (speak?.at ?? 0)).toBeGreaterThanOrEqual(message.length * 20)
  }, 60_000)
})

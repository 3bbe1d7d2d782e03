import { SqlClient } from "@effect/sql/SqlClient"
import { DispositionId, type OfferId } from "@ringmaster/domain"
import { ConsoleClient, isNotification, isSnapshot } from "@ringmaster/testkit"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

const notInterested = DispositionId.make("demo-disposition-not-interested")

describe("the distributor over real WebSockets: two agents, ten leads", () => {
  let db: E2eDatabase
  let server: ServerProcess
  const leads: Array<string> = []
  const preClosed = new Set<string>()
  let expectedOrder: Array<string> = []

  beforeAll(async () => {
    db = await e2eDatabase()
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "0" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("hands leads out in queue order through an ignore, a timeout and a priority-0 switch", async () => {
    const supervisor = api(server.baseUrl, "demo-supervisor-token")
    const settings = await supervisor.patch("/settings", { notificationTimeoutMs: 2_000, notificationRecipients: 1 })
    expect(settings.status).toBe(200)

    for (let i = 1; i <= 10; i++) {
      const type = i === 3 || i === 7 ? "demo-type-pre-closed" : "demo-type-injury"
      const created = await supervisor.post("/leads", {
        name: `Lead ${i}`,
        phone: `+1 415 555 ${String(2700 + i)}`,
        leadTypeId: type,
        campaignId: "demo-campaign-intake",
      })
      expect(created.status).toBe(201)
      const id = String(created.body?.["id"])
      leads.push(id)
      if (type === "demo-type-pre-closed") preClosed.add(id)
      await new Promise((r) => setTimeout(r, 5)) // distinct creation times: the scheduled order is first come, first served
    }
    const queue = await supervisor.get("/campaigns/demo-campaign-intake/queue?limit=20")
    expect((queue.body as unknown as Array<{ leadId: string }>).map((q) => q.leadId)).toEqual(leads)

    const ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    const grace = await ConsoleClient.connect(server.baseUrl, "demo-agent-grace-token")
    const lead = (n: number) => leads[n - 1] ?? ""

    // Ada ignores the first lead: it is recycled to the top and Ada goes Busy.
    let mark = ada.received.length
    await ada.command({ _tag: "SetState", state: "Online" })
    const first = await ada.waitFor(isNotification, { from: mark, what: "Ada's first notification" })
    expect(first.offer.lead.id).toBe(lead(1))
    mark = ada.received.length
    await ada.command({ _tag: "Ignore", offerId: first.offer.offerId })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "Busy", { from: mark, what: "Ada Busy" })

    // Grace gets the recycled lead, works it, then lets the next one time out.
    mark = grace.received.length
    await grace.command({ _tag: "SetState", state: "Online" })
    const second = await grace.waitFor(isNotification, { from: mark, what: "Grace's first notification" })
    expect(second.offer.lead.id).toBe(lead(1))
    mark = grace.received.length
    await work(grace, second.offer.offerId)
    const third = await grace.waitFor(isNotification, { from: mark, what: "Grace's second notification" })
    expect(third.offer.lead.id).toBe(lead(2))
    const timedOut = await grace.waitFor(
      (m) => m._tag === "NotificationWithdrawn" && m.offerId === third.offer.offerId,
      { timeoutMs: 10_000, what: "the timeout" },
    )
    expect(timedOut).toMatchObject({ reason: "timeout" })
    await grace.waitFor((m) => isSnapshot(m) && m.agent.state === "Busy", { from: mark, what: "Grace Busy" })

    // Pre-closed leads jump above every non-recycled lead.
    const switched = await supervisor.put("/lead-types/demo-type-pre-closed/priority-zero", { priorityZero: true })
    expect(switched.status).toBe(200)
    const top = await supervisor.get("/campaigns/demo-campaign-intake/queue?limit=3")
    const rules = (top.body as unknown as Array<{ leadId: string; rule: string }>).map((q) => q.rule)
    expect(rules).toEqual(["recycled", "priority-0", "priority-0"])

    // Both agents now work the rest of the queue until it is empty.
    const priorityZero = [lead(3), lead(7)].sort() // never contacted: equal last contact, lead id breaks the tie
    expectedOrder = [lead(1), lead(1), lead(2), lead(2), ...priorityZero, ...[4, 5, 6, 8, 9, 10].map(lead)]
    await Promise.all([workUntilIdle(ada), workUntilIdle(grace)])
    const empty = await supervisor.get("/campaigns/demo-campaign-intake/queue")
    expect(empty.body).toEqual([])
    await ada.close()
    await grace.close()
  }, 90_000)

  it("recorded every offer in the order the rules give", async () => {
    await server.stop()
    const offers = await db.inspect(
      Effect.gen(function* () {
        const sql = yield* SqlClient
        return yield* sql<{ leadId: string; state: string }>`SELECT lead_id, state FROM offers ORDER BY seq`
      }),
    )
    expect(offers.map((o) => o.leadId)).toEqual(expectedOrder)
    expect(offers.map((o) => o.state)).toEqual([
      "recycled",
      "accepted",
      "recycled",
      ...Array.from({ length: 9 }, () => "accepted"),
    ])
  }, 30_000)
})

/** Accept, hang up at once, and record a terminal outcome. */
const work = async (agent: ConsoleClient, offerId: OfferId) => {
  const mark = agent.received.length
  await agent.command({ _tag: "Accept", offerId })
  await agent.command({ _tag: "Hangup" })
  await agent.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { from: mark, what: "wrap-up" })
  await agent.command({ _tag: "SubmitOutcome", dispositionId: notInterested })
}

/** Goes Online and takes every notification until none comes for a while. */
const workUntilIdle = async (agent: ConsoleClient) => {
  let mark = agent.received.length
  await agent.command({ _tag: "SetState", state: "Online" })
  for (;;) {
    const next = await agent.waitFor(isNotification, { from: mark, timeoutMs: 3_000 }).catch(() => null)
    if (next === null) return
    mark = agent.received.length
    await work(agent, next.offer.offerId)
  }
}

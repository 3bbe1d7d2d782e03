import { SqlClient } from "@effect/sql/SqlClient"
import { CampaignId, E164, LeadId, LeadStatusId, LeadTypeId, TenantId } from "@ringmaster/domain"
import { insertLead } from "@ringmaster/store"
import { ConsoleClient, isNotification } from "@ringmaster/testkit"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

describe("timers survive a restart of the process", () => {
  let db: E2eDatabase
  let server: ServerProcess | undefined
  const env = () => ({ ...db.env, DEMO: "true", DEMO_LEADS: "0", PRESENCE_GRACE_SECONDS: "120" })

  beforeAll(async () => {
    db = await e2eDatabase()
  })

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("a notification timeout armed before a restart fires after it, within 1 s of its due time", async () => {
    server = await startServer(env())
    const supervisor = api(server.baseUrl, "demo-supervisor-token")
    expect((await supervisor.patch("/settings", { notificationTimeoutMs: 25_000 })).status).toBe(200)
    const ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    await ada.command({ _tag: "SetState", state: "Online" })
    const created = await supervisor.post("/leads", {
      name: "Restart Survivor",
      phone: "+1 415 555 2799",
      leadTypeId: "demo-type-injury",
      campaignId: "demo-campaign-intake",
    })
    const leadId = String(created.body?.["id"])
    const notification = await ada.waitFor(isNotification, { from: 0, what: "the notification" })
    const expiresAt = notification.offer.expiresAt
    await ada.close()
    expect(await server.stop()).toBe(0)

    server = await startServer(env())
    expect(Date.now()).toBeLessThan(expiresAt) // the restart happened while the timer was armed
    const restarted = api(server.baseUrl, "demo-supervisor-token")
    let history: Array<{ kind: string; at: number }> = []
    const deadline = expiresAt + 15_000
    while (Date.now() < deadline) {
      const lead = await restarted.get(`/leads/${leadId}`)
      history = lead.body?.["history"] as Array<{ kind: string; at: number }>
      if (history.some((e) => e.kind === "recycled")) break
      await new Promise((r) => setTimeout(r, 250))
    }
    const recycled = history.find((e) => e.kind === "recycled")
    expect(recycled).toBeDefined()
    expect(recycled?.at).toBeGreaterThanOrEqual(expiresAt)
    expect((recycled?.at ?? Number.POSITIVE_INFINITY) - expiresAt).toBeLessThan(1_000)
    const agent = await restarted.get("/agents/demo-agent-ada")
    expect(agent.body).toMatchObject({ state: "Busy", pendingOffer: null })
  }, 120_000)

  it("the lead waits in the queue, recycled to its top, after the restart", async () => {
    const stopped = await server?.stop()
    server = undefined
    expect(stopped).toBe(0)
    const rows = await db.inspect(
      Effect.gen(function* () {
        const sql = yield* SqlClient
        return yield* sql<{ stage: string; recycledSeq: number | null }>`SELECT stage, recycled_seq FROM leads`
      }),
    )
    expect(rows).toEqual([{ stage: "ready", recycledSeq: 1 }])
  }, 30_000)

  it("a lead written just before a crash, its admission lost, is handed out after the restart", async () => {
    // The lead is stored waiting and due, as a runner that died between writing it and admitting it leaves it.
    const leadId = "lost-admission-lead"
    await db.inspect(
      insertLead({
        id: LeadId.make(leadId),
        tenantId: TenantId.make("demo"),
        campaignId: CampaignId.make("demo-campaign-intake"),
        leadTypeId: LeadTypeId.make("demo-type-injury"),
        statusId: LeadStatusId.make("demo-status-new"),
        name: "Lost Admission",
        phone: E164.make("+14155552798"),
        email: null,
        notes: "",
        now: Date.now(),
      }),
    )
    server = await startServer(env())
    // Two agents: the recycled lead of the tests above goes first, to one of them; this one goes to the other.
    const ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    const grace = await ConsoleClient.connect(server.baseUrl, "demo-agent-grace-token")
    await ada.command({ _tag: "SetState", state: "Online" })
    await grace.command({ _tag: "SetState", state: "Online" })
    const shown = await Promise.any(
      [ada, grace].map((agent) =>
        agent.waitFor(
          (m): m is Extract<typeof m, { _tag: "Notification" }> => isNotification(m) && m.offer.lead.id === leadId,
          { from: 0, what: "the notification of the lead whose admission was lost", timeoutMs: 20_000 },
        ),
      ),
    )
    expect(shown.offer.lead.name).toBe("Lost Admission")
    await ada.close()
    await grace.close()
  }, 60_000)
})

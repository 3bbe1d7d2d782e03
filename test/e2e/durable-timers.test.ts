import { SqlClient } from "@effect/sql/SqlClient"
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
})

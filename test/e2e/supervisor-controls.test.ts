import { DispositionId } from "@ringmaster/domain"
import { ConsoleClient, isNotification, isSnapshot } from "@ringmaster/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

const HOUR = 3_600_000

describe("supervisor controls: cadences, queue-depletion alerts, agent states", () => {
  let db: E2eDatabase
  let server: ServerProcess

  beforeAll(async () => {
    db = await e2eDatabase()
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "3" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("refuses a bad cadence naming the field and the value", async () => {
    const supervisor = api(server.baseUrl, "demo-supervisor-token")
    const bad = await supervisor.put("/cadences/demo-status-new", {
      delaysMs: [HOUR, -5],
      priority: 1,
      finalStatusId: "demo-status-unreachable",
      maxAttempts: 5,
    })
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ _tag: "ValidationError", field: "delaysMs[1]", value: "-5" })
    const unknownFinal = await supervisor.put("/cadences/demo-status-new", {
      delaysMs: [HOUR],
      priority: 1,
      finalStatusId: "nope",
      maxAttempts: 5,
    })
    expect(unknownFinal.body).toMatchObject({ field: "finalStatusId", value: "nope" })
    const agentTries = await api(server.baseUrl, "demo-agent-ada-token").put("/cadences/demo-status-new", {
      delaysMs: [HOUR],
      priority: 1,
      finalStatusId: "demo-status-unreachable",
      maxAttempts: 5,
    })
    expect(agentTries.status).toBe(403)
  })

  it("alerts a supervisor once when the ready leads fall below their threshold, and records it", async () => {
    const supervisor = api(server.baseUrl, "demo-supervisor-token")
    const watch = await ConsoleClient.connect(server.baseUrl, "demo-supervisor-token")
    const set = await supervisor.put("/campaigns/demo-campaign-intake/depletion-alert", { threshold: 3 })
    expect(set.status).toBe(200)
    const negative = await supervisor.put("/campaigns/demo-campaign-intake/depletion-alert", { threshold: -1 })
    expect(negative.body).toMatchObject({ _tag: "ValidationError", field: "threshold", value: "-1" })

    const ada = await ConsoleClient.connect(server.baseUrl, "demo-agent-ada-token")
    await ada.command({ _tag: "SetState", state: "Online" })
    const offer = await ada.waitFor(isNotification, { from: 0, what: "a notification" })
    const alert = await watch.waitFor((m) => m._tag === "Alert", { from: 0, what: "the depletion alert" })
    expect(alert).toMatchObject({ kind: "queue-depletion" })
    expect((alert as { message: string }).message).toContain("2 ready leads, below your threshold of 3")

    // Work the offered lead with a "no answer": it goes back to its cadence, an hour away.
    let mark = ada.received.length
    await ada.command({ _tag: "Accept", offerId: offer.offer.offerId })
    await ada.command({ _tag: "Hangup" })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", { from: mark, what: "wrap-up" })
    await ada.command({ _tag: "SubmitOutcome", dispositionId: DispositionId.make("demo-disposition-no-answer") })
    mark = ada.received.length
    await ada.command({ _tag: "SetState", state: "OnBreak" }).catch(async () => {
      // a next lead may already be on screen: ignore it first, then take the break from Busy
      const next = await ada.waitFor(isNotification, { from: mark - 3 })
      await ada.command({ _tag: "Ignore", offerId: next.offer.offerId })
      await ada.command({ _tag: "SetState", state: "OnBreak" })
    })
    const recorded = await supervisor.get("/alerts")
    const alerts = recorded.body as unknown as Array<{ kind: string }>
    expect(alerts.filter((a) => a.kind === "queue-depletion")).toHaveLength(1)
    await watch.close()
    await ada.close()

    // Editing the cadence re-times the waiting lead from its last contact.
    const lead = await supervisor.get(`/leads/${offer.offer.lead.id}`)
    const lastContactAt = Number(lead.body?.["lastContactAt"])
    expect(lead.body?.["nextAttemptAt"]).toBe(lastContactAt + HOUR)
    const edited = await supervisor.put("/cadences/demo-status-new", {
      delaysMs: [2 * HOUR, 24 * HOUR],
      priority: 1,
      finalStatusId: "demo-status-unreachable",
      maxAttempts: 5,
    })
    expect(edited.status).toBe(200)
    const after = await supervisor.get(`/leads/${offer.offer.lead.id}`)
    expect(after.body).toMatchObject({ stage: "waiting", nextAttemptAt: lastContactAt + 2 * HOUR })
    expect((after.body?.["history"] as Array<{ kind: string }>).at(-1)?.kind).toBe("rescheduled")
  }, 60_000)

  it("lets a supervisor change an agent's state, and refuses an illegal move naming both states", async () => {
    const supervisor = api(server.baseUrl, "demo-supervisor-token")
    const online = await supervisor.put("/agents/demo-agent-grace/state", { state: "Online" })
    expect(online.body).toMatchObject({ state: "Online" })
    const illegal = await supervisor.put("/agents/demo-agent-grace/state", { state: "WrapUp" })
    expect(illegal.status).toBe(409)
    expect(String(illegal.body?.["message"])).toMatch(/Online.*WrapUp/)
  })
})

/**
 * Three runners on one PostgreSQL (the cluster's SQL storage): every runner serves the control plane, the console
 * gateway and the webhook ingress, whichever runner the entities live on. An agent connected to runner A is
 * notified of a lead created through runner B; the Telnyx webhooks of its call, all delivered to runner C, reach the
 * Call entity and the agent sees the call move; consoles are sent their state afresh when their runner lost its
 * connection to the others and has it back; and a runner told to stop (SIGTERM) exits promptly and cleanly.
 * Runs on PostgreSQL only: the embedded database is one process's.
 */
import { DispositionId } from "@ringmaster/domain"
import {
  ConsoleClient,
  cutListeningConnections,
  isNotification,
  isSnapshot,
  type SnapshotMessage,
} from "@ringmaster/testkit"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeTelnyxApi, makeFakeTelnyxApi } from "../../packages/carrier-telnyx/test/fake-telnyx-api.js"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

const apiKey = "KEY0123456789MULTI"
const onPostgres = process.env["DATABASE_URL"] !== undefined && process.env["DATABASE_URL"] !== ""

describe.skipIf(!onPostgres)("many runners on one PostgreSQL", () => {
  let db: E2eDatabase
  let fake: FakeTelnyxApi
  const runners: Array<ServerProcess> = []
  const scope = Effect.runSync(Scope.make())
  const webhookReplies: Array<number> = []

  beforeAll(async () => {
    db = await e2eDatabase()
    fake = await Effect.runPromise(Scope.extend(makeFakeTelnyxApi({ apiKey }), scope))
    const env = {
      ...db.env,
      DEMO: "true",
      DEMO_LEADS: "0",
      TELNYX_API_KEY: apiKey,
      TELNYX_PUBLIC_KEY: fake.publicKey,
      TELNYX_CONNECTION_ID: "conn-multi",
      TELNYX_BASE_URL: fake.baseUrl,
    }
    // The first runner migrates and seeds; the others join it.
    runners.push(await startServer(env))
    runners.push(...(await Promise.all([startServer(env), startServer(env)])))
    // Every webhook goes to runner C, wherever the call's entity lives.
    await Effect.runPromise(
      fake.onWebhook(async (webhook) => {
        const response = await fetch(`${runners[2]?.baseUrl}/webhooks/telnyx`, {
          method: "POST",
          headers: { "content-type": "application/json", ...webhook.headers },
          body: webhook.rawBody,
        })
        webhookReplies.push(response.status)
      }),
    )
  }, 240_000)

  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()))
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await db?.dispose()
  })

  it("notifies an agent on runner A of a lead created through runner B, and runner C's webhooks move its call", async () => {
    const [a, b] = runners
    if (a === undefined || b === undefined) throw new Error("the runners did not start")
    const ada = await ConsoleClient.connect(a.baseUrl, "demo-agent-ada-token")
    await ada.command({ _tag: "SetState", state: "Online" })
    const created = await api(b.baseUrl, "demo-supervisor-token").post("/leads", {
      name: "Across Runners",
      phone: "(415) 555-2891",
      leadTypeId: "demo-type-injury",
      campaignId: "demo-campaign-intake",
    })
    expect(created.status).toBe(201)
    const notification = await ada.waitFor(isNotification, { from: 0, what: "the notification, on runner A" })
    expect(notification.offer.lead.id).toBe(created.body?.["id"])

    let mark = ada.received.length
    await ada.command({ _tag: "Accept", offerId: notification.offer.offerId })
    await ada.waitFor((m): m is SnapshotMessage => isSnapshot(m) && m.agent.call?.phase === "Answered", {
      from: mark,
      what: "the call answered, from a webhook to runner C",
    })
    mark = ada.received.length
    await ada.command({ _tag: "Hangup" })
    await ada.waitFor((m) => isSnapshot(m) && m.agent.state === "WrapUp", {
      from: mark,
      what: "the hangup, from a webhook to runner C",
    })
    await ada.command({ _tag: "SubmitOutcome", dispositionId: DispositionId.make("demo-disposition-no-answer") })
    await ada.close()
    expect(webhookReplies.length).toBeGreaterThan(0)
    expect(webhookReplies.every((s) => s === 200)).toBe(true)
    expect(await Effect.runPromise(fake.deliveryFailures)).toEqual([])
  }, 90_000)

  it("sends every console its state afresh when its runner's connection to the other runners was lost and is back", async () => {
    const [a, b] = runners
    if (a === undefined || b === undefined) throw new Error("the runners did not start")
    const grace = await ConsoleClient.connect(a.baseUrl, "demo-agent-grace-token")
    const supervisor = await ConsoleClient.connect(b.baseUrl, "demo-supervisor-token")
    await grace.waitFor(isSnapshot, { from: 0, what: "the first snapshot" })
    await supervisor.waitFor((m) => m._tag === "Hello", { from: 0, what: "the supervisor's first Hello" })
    await grace.command({ _tag: "SetState", state: "Online" })
    const [graceMark, supervisorMark] = [grace.received.length, supervisor.received.length]

    // Three runners, each listening on two channels: console messages and configuration changes.
    expect(await db.inspect(cutListeningConnections)).toBe(6)

    await grace.waitFor((m) => m._tag === "Hello", { from: graceMark, what: "a Hello after the gap" })
    const helloAt = grace.received.findIndex((r, i) => i >= graceMark && r.message._tag === "Hello")
    const snapshot = await grace.waitFor(isSnapshot, {
      from: helloAt + 1,
      what: "a fresh snapshot after the gap",
    })
    expect(snapshot.agent.state).toBe("Online")
    // A supervisor's console reloads what it shows on a Hello.
    await supervisor.waitFor((m) => m._tag === "Hello", {
      from: supervisorMark,
      what: "the supervisor's Hello after the gap",
    })
    await Promise.all([grace.close(), supervisor.close()])
  }, 60_000)

  it("stops a runner on SIGTERM: it exits by itself with status 0, and the others keep serving", async () => {
    const [a, b] = runners
    if (a === undefined || b === undefined) throw new Error("the runners did not start")
    const startedAt = Date.now()
    const code = await b.stop()
    const tookMs = Date.now() - startedAt
    console.log(`runner B exited ${tookMs} ms after SIGTERM`)
    expect(code).toBe(0)
    expect(b.output()).not.toContain("SIGKILL")
    const health = await fetch(`${a.baseUrl}/health`)
    expect(health.status).toBe(200)
    // The entities runner B held move to the others: every agent still answers.
    const agents = await api(a.baseUrl, "demo-supervisor-token").get("/agents")
    expect(agents.status).toBe(200)
  }, 60_000)
})

import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { Effect, Exit, Scope } from "effect"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeTelnyxApi, makeFakeTelnyxApi } from "../../packages/carrier-telnyx/test/fake-telnyx-api.js"
import { ensureConsoleBuilt } from "../../scripts/ensure-console.js"
import { e2eDatabase, type E2eDatabase } from "../e2e/support/database-mode.js"
import { api, startServer, type ServerProcess } from "../e2e/support/server-process.js"
import { launchChromium } from "./support/chromium.js"

const screenshots = resolve(import.meta.dirname, "screenshots")
const apiKey = "KEY0123456789CALLBACKS"
const mainLine = "+14155550199"
const caller = "+14155552991"

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 })

describe("the supervisor view's callers to call back, in a real browser", () => {
  let db: E2eDatabase
  let server: ServerProcess
  let fake: FakeTelnyxApi
  let browser: Browser
  let supervisor: Page
  const scope = Effect.runSync(Scope.make())
  const supervisorApi = () => api(server.baseUrl, "demo-supervisor-token")

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true })
    ensureConsoleBuilt()
    db = await e2eDatabase()
    fake = await Effect.runPromise(Scope.extend(makeFakeTelnyxApi({ apiKey }), scope))
    server = await startServer({
      ...db.env,
      DEMO: "true",
      DEMO_LEADS: "0",
      STATS_SAMPLE_SECONDS: "2",
      TELNYX_API_KEY: apiKey,
      TELNYX_PUBLIC_KEY: fake.publicKey,
      TELNYX_CONNECTION_ID: "conn-callbacks",
      TELNYX_BASE_URL: fake.baseUrl,
    })
    await Effect.runPromise(
      fake.onWebhook(async (webhook) => {
        const response = await fetch(`${server.baseUrl}/webhooks/telnyx`, {
          method: "POST",
          headers: { "content-type": "application/json", ...webhook.headers },
          body: webhook.rawBody,
        })
        if (response.status !== 200) throw new Error(`the ingress answered ${response.status}`)
      }),
    )
    expect((await supervisorApi().patch("/settings", { inboundRingTimeoutMs: 5_000 })).status).toBe(200)
    browser = await launchChromium()
    supervisor = await (await browser.newContext({ viewport: { width: 1440, height: 1100 } })).newPage()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await db?.dispose()
  })

  it("shows a caller nobody answered in the card and at the top of the queue, until Done is pressed", async () => {
    await supervisor.goto(`${server.baseUrl}/supervisor/`)
    await supervisor.getByRole("radio", { name: "With an API token" }).check()
    await supervisor.getByRole("textbox", { name: "API token" }).fill("demo-supervisor-token")
    await supervisor.getByRole("button", { name: "Sign in" }).click()
    await eventually(() => supervisor.getByTestId("connection").textContent()).toBe("Live")
    await eventually(() => supervisor.getByText(/^Nobody\. An inbound call no agent answered/).count()).toBe(1)

    // every agent is Offline: the call rings nobody, and after the ring timeout the caller is to be called back
    await Effect.runPromise(fake.callIn({ from: caller, to: mainLine }))
    const callbackRow = supervisor.getByTestId("callbacks").locator("tbody tr", { hasText: caller })
    await eventually(() => callbackRow.count()).toBe(1)
    expect(await callbackRow.textContent()).toContain("missed inbound call")
    const queueRow = supervisor.getByTestId("queue").locator("tbody tr", { hasText: caller })
    await eventually(() => queueRow.locator(".pill").textContent()).toBe("callback")
    expect(await queueRow.locator(".pill").getAttribute("title")).toMatch(/^caller missed /)
    await supervisor.screenshot({ path: join(screenshots, "supervisor-callbacks.png"), fullPage: true })

    await callbackRow.getByRole("button", { name: /^Done with / }).click()
    await eventually(() => supervisor.getByText(/^Nobody\. An inbound call no agent answered/).count()).toBe(1)
    // the lead stays queued to be called, now as any recycled lead
    await eventually(() => queueRow.locator(".pill").textContent()).toBe("recycled")
    const open = (await supervisorApi().get("/callbacks")).body as unknown as Array<{ phone: string }>
    expect(open.some((t) => t.phone === caller)).toBe(false)
  }, 60_000)
})

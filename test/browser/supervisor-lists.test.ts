import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { Effect } from "effect"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FakeTelnyxApi } from "../../packages/carrier-telnyx/test/fake-telnyx-api.js"
import { ensureConsoleBuilt } from "../../scripts/ensure-console.js"
import { api, type ServerProcess } from "../e2e/support/server-process.js"
import { startTelnyxServer, type TelnyxServer } from "../e2e/support/telnyx-server.js"
import { launchChromium } from "./support/chromium.js"

const screenshots = resolve(import.meta.dirname, "screenshots")
const apiKey = "KEY0123456789CALLBACKS"
const mainLine = "+14155550199"
const caller = "+14155552991"

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 })

describe("the supervisor view's callers to call back and do-not-call list, in a real browser", () => {
  let telnyx: TelnyxServer
  let server: ServerProcess
  let fake: FakeTelnyxApi
  let browser: Browser
  let supervisor: Page
  const supervisorApi = () => api(server.baseUrl, "demo-supervisor-token")

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true })
    ensureConsoleBuilt()
    telnyx = await startTelnyxServer({ fake: { apiKey }, connectionId: "conn-callbacks" })
    server = telnyx.server
    fake = telnyx.fake
    expect((await supervisorApi().patch("/settings", { inboundRingTimeoutMs: 5_000 })).status).toBe(200)
    browser = await launchChromium()
    supervisor = await (await browser.newContext({ viewport: { width: 1440, height: 1100 } })).newPage()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await telnyx?.stop()
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

  it("puts a number on the do-not-call list from the card, which takes its queued lead out, and takes it off again", async () => {
    const card = supervisor.locator("section", { has: supervisor.getByRole("heading", { name: /Do not call/ }) })
    await eventually(() => card.getByText(/^Nobody yet\./).count()).toBe(1)
    const created = await supervisorApi().post("/leads", {
      name: "Dana Nocall",
      phone: "(415) 555-2993",
      leadTypeId: "demo-type-injury",
      campaignId: "demo-campaign-intake",
    })
    expect(created.status).toBe(201)
    const queueRow = supervisor.getByTestId("queue").locator("tbody tr", { hasText: "Dana Nocall" })
    await eventually(() => queueRow.count()).toBe(1)

    // a number it cannot read is refused, naming it, and nothing is added
    const form = supervisor.getByTestId("dnc-form")
    await form.getByRole("textbox", { name: "Number" }).fill("12")
    await form.getByRole("button", { name: "Add" }).click()
    await eventually(() => supervisor.getByRole("alert").textContent()).toContain('phone: "12"')
    expect(await card.getByTestId("dnc").count()).toBe(0)

    await form.getByRole("textbox", { name: "Number" }).fill("(415) 555-2993")
    await form.getByRole("textbox", { name: "Why" }).fill("asked by email")
    await form.getByRole("button", { name: "Add" }).click()
    const row = card.getByTestId("dnc").locator("tbody tr", { hasText: "+1 415 555 2993" })
    await eventually(() => row.count()).toBe(1)
    expect(await row.textContent()).toMatch(/added by hand\s*asked by email/)
    // the lead may no longer be called: it leaves the queue
    await eventually(() => queueRow.count()).toBe(0)
    await supervisor.screenshot({ path: join(screenshots, "supervisor-dnc.png"), fullPage: true })

    supervisor.once("dialog", (dialog) => void dialog.accept())
    await row.getByRole("button", { name: /^Remove/ }).click()
    await eventually(() => row.count()).toBe(0)
    const listed = (await supervisorApi().get("/dnc?phone=%2B14155552993")).body as unknown as Array<unknown>
    expect(listed).toEqual([])
  }, 60_000)
})

import { mkdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ensureConsoleBuilt } from "../../scripts/ensure-console.js"
import { e2eDatabase, type E2eDatabase } from "../e2e/support/database-mode.js"
import { api, startServer, type ServerProcess } from "../e2e/support/server-process.js"
import { launchChromium } from "./support/chromium.js"
import { startTcpProxy, type TcpProxy } from "../e2e/support/tcp-proxy.js"

const screenshots = resolve(import.meta.dirname, "screenshots")
const supervisorToken = "demo-supervisor-token"
const campaignId = "demo-campaign-intake"
const leadTypeId = "demo-type-injury"

/** Waits for what the page shows to settle on the expected value: the server and the socket take their time. */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 })

/** RFC 4180 lines of a report whose cells hold no quotes, commas or line breaks (true of the rows made here). */
const csvRows = (text: string): Array<Record<string, string>> => {
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l !== "")
  const names = (header ?? "").split(",")
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [names[i] ?? `#${i}`, cell])))
}

describe("the agent console and the supervisor view in a real browser", () => {
  let db: E2eDatabase
  let server: ServerProcess
  let proxy: TcpProxy
  let browser: Browser
  let agentContext: BrowserContext
  let supervisorContext: BrowserContext
  let agent: Page
  let supervisor: Page
  const leadIds: Array<string> = []

  const postLead = async (name: string, phone: string, notes?: string) => {
    const created = await api(server.baseUrl, supervisorToken).post("/leads", {
      name,
      phone,
      leadTypeId,
      campaignId,
      ...(notes === undefined ? {} : { notes }),
    })
    expect(created.status).toBe(201)
    const id = String(created.body?.["id"])
    leadIds.push(id)
    return id
  }

  /** The state the supervisor's table shows for an agent, as it changes (no reload). */
  const supervisorSees = (agentId: string) =>
    supervisor.locator(`[data-testid=agent-row][data-agent-id="${agentId}"] [data-testid=agent-row-state]`)

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true })
    ensureConsoleBuilt()
    db = await e2eDatabase()
    server = await startServer({
      ...db.env,
      DEMO: "true",
      DEMO_LEADS: "0",
      PRESENCE_GRACE_SECONDS: "60",
      STATS_SAMPLE_SECONDS: "2",
    })
    // the agent's browser reaches the server through a proxy the test can cut
    proxy = await startTcpProxy(new URL(server.baseUrl))
    browser = await launchChromium()
    agentContext = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    // counts the tones the page plays, to prove a notification is audible
    await agentContext.addInitScript(() => {
      const counted = window as unknown as { tones: number }
      counted.tones = 0
      const original = AudioContext.prototype.createOscillator
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        counted.tones++
        return original.call(this)
      }
    })
    supervisorContext = await browser.newContext({ viewport: { width: 1440, height: 1100 }, acceptDownloads: true })
    agent = await agentContext.newPage()
    supervisor = await supervisorContext.newPage()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await proxy?.close()
    await server?.stop()
    await db?.dispose()
  })

  it("signs a supervisor in with an API token and shows the agents, the queue and the controls", async () => {
    await supervisor.goto(`${server.baseUrl}/supervisor/`)
    await supervisor.getByRole("radio", { name: "With an API token" }).check()
    await supervisor.getByRole("textbox", { name: "API token" }).fill(supervisorToken)
    await supervisor.getByRole("button", { name: "Sign in" }).click()
    await eventually(() => supervisor.getByTestId("connection").textContent()).toBe("Live")
    await eventually(() => supervisorSees("demo-agent-ada").textContent()).toBe("Offline")
    await eventually(() => supervisor.getByRole("switch", { name: /Personal injury/ }).count()).toBe(1)
    // alerts are addressed to this supervisor: from now on, over the socket only
    const threshold = await api(server.baseUrl, supervisorToken).put(`/campaigns/${campaignId}/depletion-alert`, {
      threshold: 1,
    })
    expect(threshold.status).toBe(200)
  })

  it("refuses a wrong password with a message, then signs the agent in", async () => {
    await agent.goto(`${proxy.url}/console/`)
    await agent.getByRole("textbox", { name: "User name" }).fill("ada")
    await agent.getByRole("textbox", { name: "Password" }).fill("not-her-password")
    await agent.getByRole("button", { name: "Sign in" }).click()
    await eventually(() => agent.getByRole("alert").textContent()).toContain("not right")

    await agent.getByRole("textbox", { name: "Password" }).fill("ada-demo-password")
    await agent.getByRole("button", { name: "Sign in" }).click()
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Offline")
    await eventually(() => agent.getByTestId("connection").textContent()).toBe("Connected")
  })

  it("notifies the agent of a posted lead, who accepts, hangs up and records an outcome; the supervisor sees it live", async () => {
    await agent.getByRole("button", { name: /^Online/ }).click()
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Online")
    await eventually(() => supervisorSees("demo-agent-ada").textContent()).toBe("Online")

    const leadId = await postLead("Jane Roe", "(415) 555-2671", "came through the web form")
    const card = agent.getByTestId("notification")
    await card.waitFor()
    expect(await agent.getByTestId("lead-name").textContent()).toBe("Jane Roe")
    expect(await agent.getByTestId("lead-phone").textContent()).toBe("+1 415 555 2671")
    expect(await card.textContent()).toContain("came through the web form")
    expect(await agent.getByTestId("countdown").textContent()).toMatch(/^0:[0-3]\d$/)
    // announced to screen readers, and the keyboard is on Accept
    await eventually(() => agent.getByTestId("announcer").textContent()).toContain("New lead: Jane Roe")
    expect(await agent.evaluate(() => document.activeElement?.id)).toBe("accept")
    expect(await agent.evaluate(() => (window as unknown as { tones: number }).tones)).toBeGreaterThanOrEqual(2)
    await agent.screenshot({ path: join(screenshots, "agent-notification.png"), fullPage: true })

    await agent.getByRole("button", { name: /^Accept/ }).click()
    // the only ready lead is taken: the supervisor is alerted at once, without reloading
    await eventually(() => supervisor.getByTestId("alerts").textContent()).toContain("below your threshold of 1")
    await eventually(() => agent.getByTestId("call-phase").textContent()).toBe("Answered")
    await eventually(() => supervisorSees("demo-agent-ada").textContent()).toBe("On call")
    await agent.screenshot({ path: join(screenshots, "agent-on-call.png"), fullPage: true })
    await supervisor.screenshot({ path: join(screenshots, "supervisor-agent-on-call.png"), fullPage: true })

    await agent.getByRole("button", { name: /^Hang up/ }).click()
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Wrap-up")
    await eventually(() => supervisorSees("demo-agent-ada").textContent()).toBe("Wrap-up")
    const form = agent.getByTestId("outcome-form")
    await form.getByRole("radio", { name: /Call back later/ }).check()
    await form.getByRole("textbox", { name: "Notes" }).fill("call after 5 pm")
    await agent.screenshot({ path: join(screenshots, "agent-outcome.png"), fullPage: true })
    await form.getByRole("button", { name: "Save outcome" }).click()
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Online")
    await eventually(() => supervisorSees("demo-agent-ada").textContent()).toBe("Online")
    expect(await agent.getByTestId("outcome-form").count()).toBe(0)

    const lead = await api(server.baseUrl, supervisorToken).get(`/leads/${leadId}`)
    expect(lead.body).toMatchObject({ status: "Call back", attempts: 1, assignedAgentId: "demo-agent-ada" })
    const outcome = (lead.body?.["history"] as Array<{ kind: string; detail: Record<string, unknown> }>).find(
      (e) => e.kind === "outcome",
    )
    expect(outcome?.detail).toMatchObject({ disposition: "Call back later", notes: "call after 5 pm" })
  }, 90_000)

  it("takes a lead from the keyboard alone: ignore with I, back Online with O, accept with A, outcome with Tab and Space", async () => {
    const leadId = await postLead("Keyboard Kim", "(415) 555-2672")
    await agent.getByTestId("notification").waitFor()
    await agent.keyboard.press("i")
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Busy")
    await eventually(() => supervisorSees("demo-agent-ada").textContent()).toBe("Busy")
    expect(await agent.getByTestId("notification").count()).toBe(0)

    // the ignored lead went back to the top of the queue: it comes back as soon as the agent is Online again
    await agent.keyboard.press("o")
    await agent.getByTestId("notification").waitFor()
    expect(await agent.getByTestId("lead-name").textContent()).toBe("Keyboard Kim")
    await agent.keyboard.press("a")
    await eventually(() => agent.getByTestId("call-phase").textContent()).toBe("Answered")
    await agent.keyboard.press("h")
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Wrap-up")

    // R jumps to the outcome form; arrows pick a disposition, Tab reaches the notes and the button
    await agent.keyboard.press("r")
    expect(await agent.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("disposition")
    await agent.keyboard.press("Space")
    for (let i = 0; i < 6; i++) {
      const label = await agent.evaluate(
        () => (document.activeElement as HTMLInputElement).closest("label")?.textContent,
      )
      if (label?.includes("No answer") === true) break
      await agent.keyboard.press("ArrowRight")
    }
    await agent.keyboard.press("Tab")
    await agent.keyboard.type("rang out; an h and an a typed here are notes, not shortcuts")
    await agent.keyboard.press("Tab")
    await agent.keyboard.press("Enter")
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Online")

    const lead = await api(server.baseUrl, supervisorToken).get(`/leads/${leadId}`)
    expect(lead.body).toMatchObject({ attempts: 1 })
    const history = lead.body?.["history"] as Array<{ kind: string; detail: Record<string, unknown> }>
    expect(history.map((e) => e.kind)).toContain("outcome")
    expect(history.find((e) => e.kind === "outcome")?.detail).toMatchObject({
      disposition: "No answer",
      notes: "rang out; an h and an a typed here are notes, not shortcuts",
    })
  }, 90_000)

  it("reconnects by itself after the connection drops, and shows the state the server has now", async () => {
    proxy.cut()
    await agent.getByTestId("reconnecting").waitFor({ timeout: 40_000 })
    // while the agent is away, a supervisor puts them on a break
    const changed = await api(server.baseUrl, supervisorToken).put("/agents/demo-agent-ada/state", { state: "OnBreak" })
    expect(changed.status).toBe(200)
    await eventually(() => supervisorSees("demo-agent-ada").textContent()).toBe("On break")
    await agent.screenshot({ path: join(screenshots, "agent-reconnecting.png"), fullPage: true })
    expect(await agent.getByTestId("agent-state").textContent()).toBe("Online")

    proxy.restore()
    await eventually(() => agent.getByTestId("connection").textContent()).toBe("Connected")
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("On break")
    expect(await agent.getByTestId("reconnecting").count()).toBe(0)
  }, 90_000)

  it("dials a lead by hand: the agent's own lead, by its id", async () => {
    await agent.keyboard.press("o")
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Online")
    const janeId = leadIds[0] ?? ""
    await agent.getByRole("searchbox", { name: "Lead to call" }).fill(janeId)
    await agent.getByTestId("dial-by-id").click()
    await eventually(() => agent.getByTestId("call-phase").textContent()).toBe("Answered")
    expect(await agent.getByTestId("lead-name").textContent()).toBe("Jane Roe")
    await agent.getByRole("button", { name: /^Hang up/ }).click()
    const form = agent.getByTestId("outcome-form")
    await form.getByRole("radio", { name: /Not interested/ }).check()
    await form.getByRole("button", { name: "Save outcome" }).click()
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Online")
    leadIds.push(janeId)
    const lead = await api(server.baseUrl, supervisorToken).get(`/leads/${janeId}`)
    expect(lead.body).toMatchObject({ status: "Not interested", attempts: 2 })
  }, 60_000)

  it("records that the person asked not to be called again: the number goes on the do-not-call list", async () => {
    const leadId = await postLead("Opt Out Olga", "(415) 555-2673")
    await agent.getByTestId("notification").waitFor()
    await agent.getByRole("button", { name: /^Accept/ }).click()
    await eventually(() => agent.getByTestId("call-phase").textContent()).toBe("Answered")
    await agent.getByRole("button", { name: /^Hang up/ }).click()
    const form = agent.getByTestId("outcome-form")
    await form.getByRole("radio", { name: /Not interested/ }).check()
    await form.getByRole("checkbox", { name: /Asked not to be called again/ }).check()
    await form.getByRole("button", { name: "Save outcome" }).click()
    await eventually(() => agent.getByTestId("agent-state").textContent()).toBe("Online")
    await eventually(() => agent.getByTestId("announcer").textContent()).toContain("do-not-call list")

    const supervisorApi = api(server.baseUrl, supervisorToken)
    const listed = (await supervisorApi.get("/dnc?phone=%2B14155552673")).body as unknown as Array<
      Record<string, unknown>
    >
    expect(listed).toMatchObject([{ phone: "+14155552673", leadId, source: "opt-out-verbal" }])
    const lead = await supervisorApi.get(`/leads/${leadId}`)
    expect(lead.body).toMatchObject({ status: "Not interested", stage: "terminal", nextAttemptAt: null })
    const kinds = (lead.body?.["history"] as Array<{ kind: string }>).map((e) => e.kind)
    expect(kinds).toContain("opted-out")
  }, 60_000)

  it("switches priority 0 for a lead type and sets the dial ratio from the supervisor view", async () => {
    const supervisorApi = api(server.baseUrl, supervisorToken)
    const priorityZeroOf = async (id: string) =>
      ((await supervisorApi.get("/lead-types")).body as unknown as Array<{ id: string; priorityZero: boolean }>).find(
        (t) => t.id === id,
      )?.priorityZero
    const preClosed = supervisor.getByRole("switch", { name: /Pre-closed/ })
    await preClosed.click()
    await eventually(() => priorityZeroOf("demo-type-pre-closed")).toBe(true)
    await eventually(() => preClosed.isChecked()).toBe(true)
    await preClosed.press("Space")
    await eventually(() => priorityZeroOf("demo-type-pre-closed")).toBe(false)

    await supervisor.getByTestId("dial-ratio").selectOption("3")
    await eventually(async () => (await supervisorApi.get(`/campaigns/${campaignId}`)).body?.["dialRatio"]).toBe(3)

    // the auto-dialer and the pause are switches too, and come back off
    const campaignField = async (field: string) => (await supervisorApi.get(`/campaigns/${campaignId}`)).body?.[field]
    await supervisor.getByRole("switch", { name: /Auto-dialer/ }).click()
    await eventually(() => campaignField("mode")).toBe("auto")
    await supervisor.getByRole("switch", { name: /Auto-dialer/ }).click()
    await eventually(() => campaignField("mode")).toBe("manual")
    await supervisor.getByRole("switch", { name: /Paused/ }).click()
    await eventually(() => campaignField("status")).toBe("paused")
    await supervisor.getByRole("switch", { name: /Paused/ }).press("Space")
    await eventually(() => campaignField("status")).toBe("active")
  })

  it("edits a cadence from the supervisor view, and refuses a delay it cannot read, naming it", async () => {
    const supervisorApi = api(server.baseUrl, supervisorToken)
    const callbackCadence = async () =>
      (
        (await supervisorApi.get("/cadences")).body as unknown as Array<{ statusId: string } & Record<string, unknown>>
      ).find((c) => c.statusId === "demo-status-callback")
    const demoCadence = await callbackCadence()
    const form = supervisor.getByRole("form", { name: "Cadence of Call back" })
    const delays = form.getByRole("textbox", { name: /Delays/ })
    await eventually(() => delays.inputValue()).toBe("30m, 2h, 1d")

    await delays.fill("45m, 3h, 2 days")
    await form.getByRole("spinbutton", { name: "Priority" }).fill("3")
    await form.getByRole("spinbutton", { name: /Attempts at most/ }).fill("5")
    await form.getByRole("combobox", { name: "Then" }).selectOption({ label: "Not interested" })
    await form.getByRole("button", { name: "Save" }).click()
    await eventually(() => callbackCadence()).toMatchObject({
      delaysMs: [45 * 60_000, 3 * 3_600_000, 2 * 86_400_000],
      priority: 3,
      maxAttempts: 5,
      finalStatusId: "demo-status-not-interested",
    })
    // the form shows what was saved, in the units it reads back
    await eventually(() => delays.inputValue()).toBe("45m, 3h, 2d")

    await delays.fill("45m, soon")
    await form.getByRole("button", { name: "Save" }).click()
    await eventually(() => supervisor.locator(".banner.error").textContent()).toContain('delays: "soon" is not a delay')
    expect((await callbackCadence())?.["delaysMs"]).toEqual([45 * 60_000, 3 * 3_600_000, 2 * 86_400_000])

    // the demo's cadence again, for the tests after this one
    const demo = {
      delaysMs: demoCadence?.["delaysMs"],
      priority: demoCadence?.["priority"],
      maxAttempts: demoCadence?.["maxAttempts"],
      finalStatusId: demoCadence?.["finalStatusId"],
    }
    expect((await supervisorApi.put("/cadences/demo-status-callback", demo)).status).toBe(200)
  })

  it("draws the day's queue depth and agent states, and keeps the supervisor signed in across a reload", async () => {
    await supervisor.reload()
    await eventually(() => supervisor.getByTestId("connection").textContent()).toBe("Live")
    await eventually(() => supervisor.locator("[data-testid=states-chart] path").count()).toBeGreaterThan(0)
    await eventually(() => supervisor.locator("[data-testid=queue-chart] path").count()).toBe(1)
    expect(await supervisor.getByTestId("kpi-attempts").locator(".value").textContent()).toBe("4")
    await supervisor.screenshot({ path: join(screenshots, "supervisor.png"), fullPage: true })
  })

  it("downloads a Calls CSV whose rows are the calls made", async () => {
    const [download] = await Promise.all([
      supervisor.waitForEvent("download"),
      supervisor.getByRole("button", { name: "Download Calls" }).click(),
    ])
    const path = await download.path()
    const rows = csvRows(readFileSync(path, "utf8"))
    expect(rows.map((r) => r["lead_id"]).sort()).toEqual([...leadIds].sort())
    for (const row of rows) {
      expect(row).toMatchObject({ agent_id: "demo-agent-ada", campaign_id: campaignId, direction: "outbound" })
    }
    const outcomes = rows.map((r) => `${r["lead_id"]} ${r["disposition_id"]}`).sort()
    expect(outcomes).toEqual(
      [
        `${leadIds[0]} demo-disposition-call-back-later`,
        `${leadIds[1]} demo-disposition-no-answer`,
        `${leadIds[0]} demo-disposition-not-interested`,
        `${leadIds[3]} demo-disposition-not-interested`,
      ].sort(),
    )
  }, 60_000)
})

/**
 * Failover with the auto-dialer on: three runners on one PostgreSQL and one carrier (the Telnyx SDK against a local
 * fake of its API, whose webhooks a load balancer hands to any runner that answers), a campaign dialling ahead of six
 * agents while leads keep arriving. The runner the campaign runs on is killed with SIGKILL mid-load. Afterwards the
 * campaign runs on another runner and dials again, every call ends, no lead is dialled twice at once, no agent is
 * connected to two calls at once, and every lead is either finished or waiting for its next attempt. Prints the
 * dialling gap: from the kill to the first dial of the campaign's new runner, that is the first call created once that
 * runner logged the campaign's arrival (a dial the campaign sent before the kill may still be placed elsewhere just
 * after it). Runs on PostgreSQL only.
 */
import { SqlClient } from "@effect/sql/SqlClient"
import { DispositionId } from "@ringmaster/domain"
import { seedTenant, type SeededTenant } from "@ringmaster/store"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeTelnyxApi, makeFakeTelnyxApi } from "../../packages/carrier-telnyx/test/fake-telnyx-api.js"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { leadStory } from "./support/lead-checks.js"
import { entriesNaming } from "./support/log-entries.js"
import { ScriptedAgent } from "./support/scripted-agent.js"
import { api, startServer, type ServerProcess } from "./support/server-process.js"

const onPostgres = process.env["DATABASE_URL"] !== undefined && process.env["DATABASE_URL"] !== ""
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * When a runner last logged a line containing `text`, read from the time of day its logger prints first
 * (`[HH:MM:SS.mmm]`, local time), on the day of `near`; undefined if it never did.
 */
const loggedAt = (output: string, text: string, near: number): number | undefined => {
  let at: number | undefined
  for (const line of output.split("\n")) {
    const time = /^\[(\d{2}):(\d{2}):(\d{2})\.(\d{3})\]/.exec(line)
    if (time === null || !line.includes(text)) continue
    const day = new Date(near)
    day.setHours(Number(time[1]), Number(time[2]), Number(time[3]), Number(time[4]))
    const instant = day.getTime()
    at = instant < near - 12 * 3_600_000 ? instant + 24 * 3_600_000 : instant
  }
  return at
}

/** The runner that logged a line containing `text` last, and when: index -1 and `at` -Infinity when none did. */
const latestToLog = (
  runners: ReadonlyArray<ServerProcess | null>,
  text: string,
  near: number,
): { readonly index: number; readonly at: number } => {
  let latest = { index: -1, at: -Infinity }
  runners.forEach((runner, index) => {
    const at = runner === null ? undefined : loggedAt(runner.output(), text, near)
    if (at !== undefined && at > latest.at) latest = { index, at }
  })
  return latest
}
const apiKey = "KEY0123456789FAILOVER"

const LOAD_SECONDS = 30
const KILL_AFTER_SECONDS = 10
const LEADS_PER_SECOND = 2

interface CallRow {
  readonly id: string
  readonly leadId: string
  readonly agentId: string | null
  readonly phase: string
  readonly createdAt: number
  readonly answeredAt: number | null
  /** When the person was bridged to the agent (after answering-machine detection). */
  readonly bridgedAt: number | null
  readonly endedAt: number | null
}

/** Whether any two of the [from, to] intervals overlap (an open interval runs to the end of time). */
const overlapping = (intervals: ReadonlyArray<readonly [number, number | null]>) => {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0])
  return sorted.some((cur, i) => {
    const next = sorted[i + 1]
    return next !== undefined && (cur[1] === null || cur[1] > next[0])
  })
}

describe.skipIf(!onPostgres)("failover with the auto-dialer on: the campaign's runner killed mid-load", () => {
  let db: E2eDatabase
  let fake: FakeTelnyxApi
  const scope = Effect.runSync(Scope.make())
  const runners: Array<ServerProcess | null> = []
  let tenant: SeededTenant
  const agents: Array<ScriptedAgent> = []
  let delivered = 0

  beforeAll(async () => {
    db = await e2eDatabase()
    // Calls ring 1.5 s before a person or a machine answers, and AMD takes 0.5 s more: dials are in flight at the kill.
    fake = await Effect.runPromise(
      Scope.extend(
        makeFakeTelnyxApi({
          apiKey,
          timing: { answerAfterMs: 1_500, amdAfterMs: 500, greetingMs: 500, rejectAfterMs: 300, msPerRingSecond: 100 },
        }),
        scope,
      ),
    )
    const env = {
      ...db.env,
      DEMO: "false",
      PRESENCE_GRACE_SECONDS: "60",
      TELNYX_API_KEY: apiKey,
      TELNYX_PUBLIC_KEY: fake.publicKey,
      TELNYX_CONNECTION_ID: "conn-auto-failover",
      TELNYX_BASE_URL: fake.baseUrl,
    }
    runners.push(await startServer(env))
    runners.push(...(await Promise.all([startServer(env), startServer(env)])))
    // A load balancer in front of the runners: each webhook to the next runner, or the one after if it does not answer.
    await Effect.runPromise(
      fake.onWebhook(async (webhook) => {
        const errors: Array<string> = []
        for (let i = 0; i < runners.length; i++) {
          const runner = runners[(delivered + i) % runners.length]
          if (runner === null || runner === undefined) continue
          const response = await fetch(`${runner.baseUrl}/webhooks/telnyx`, {
            method: "POST",
            headers: { "content-type": "application/json", ...webhook.headers },
            body: webhook.rawBody,
            signal: AbortSignal.timeout(5_000),
          }).catch((e: unknown) => String(e))
          if (typeof response !== "string" && response.status === 200) {
            delivered++
            return
          }
          errors.push(typeof response === "string" ? response : `${response.status}`)
        }
        throw new Error(`no runner took the webhook: ${errors.join("; ")}`)
      }),
    )
    tenant = await db.inspect(
      seedTenant({ key: "afo", name: "Auto failover", agentCount: 6, leadCount: 0, now: Date.now() }),
    )
    const supervisor = api(runners[0]?.baseUrl ?? "", tenant.supervisor.token)
    expect((await supervisor.patch("/settings", { callingHoursStart: 0, callingHoursEnd: 24 })).status).toBe(200)
    const campaign = await supervisor.patch(`/campaigns/${tenant.campaignId}`, {
      mode: "auto",
      dialRatio: 2,
      amdMode: "detect",
    })
    expect(campaign.status).toBe(200)
  }, 240_000)

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()))
    await Promise.all(runners.map((r) => r?.stop()))
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await db?.dispose()
  })

  it("dials again from another runner; every call ends, nothing is dialled or connected twice at once", async () => {
    const urls = () => runners.map((r) => r?.baseUrl ?? null)
    const notInterested = DispositionId.make("afo-disposition-not-interested")
    tenant.agents.forEach((a) =>
      agents.push(new ScriptedAgent(a.name, a.token, urls, { lazy: false, outcome: notInterested })),
    )
    await Promise.all(agents.map((a, i) => a.start(i % 3)))

    const announced = `campaign ${tenant.campaignId}: auto-dialer running on runner`
    // Every runner's output, the killed one's too, for the report of a failed failover.
    const started = [...runners]
    const posted: Array<string> = []
    const refused: Array<string> = []
    let killedAt = 0
    let killed = -1
    const startedAt = Date.now()
    for (let i = 0; i < LOAD_SECONDS * LEADS_PER_SECOND; i++) {
      const due = startedAt + (i * 1_000) / LEADS_PER_SECOND
      await sleep(Math.max(0, due - Date.now()))
      if (killedAt === 0 && Date.now() - startedAt >= KILL_AFTER_SECONDS * 1_000) {
        // The campaign may have moved while the runners joined: the runner that logged its arrival last holds it.
        killed = latestToLog(runners, announced, Date.now()).index
        expect(killed, "the runner the campaign runs on").toBeGreaterThanOrEqual(0)
        killedAt = Date.now()
        await runners[killed]?.kill()
        runners[killed] = null
      }
      const live = runners.filter((r): r is ServerProcess => r !== null)
      const via = live[i % live.length]
      if (via === undefined) throw new Error("no runner left")
      // Every fifth number gets an answering machine and every fifth no answer; the rest a person.
      const phone = `+1415555${String(4000 + i).padStart(4, "0")}`
      if (i % 5 === 1) await Effect.runPromise(fake.arrange(phone, "machine"))
      if (i % 5 === 2) await Effect.runPromise(fake.arrange(phone, "noAnswer"))
      const created = await api(via.baseUrl, tenant.supervisor.token)
        .post("/leads", {
          name: `Auto ${i}`,
          phone,
          leadTypeId: tenant.leadTypes.injury,
          campaignId: tenant.campaignId,
        })
        .catch((e: unknown) => ({ status: 0, body: { error: String(e) } as Record<string, unknown> }))
      if (created.status === 201) posted.push(String(created.body?.["id"]))
      else refused.push(`${created.status} ${JSON.stringify(created.body).slice(0, 120)}`)
    }

    const read = () =>
      db.inspect(
        Effect.gen(function* () {
          const sql = yield* SqlClient
          const leads = yield* sql<{ id: string; stage: string }>`SELECT id, stage FROM leads
            WHERE tenant_id = ${tenant.tenantId}`
          const calls = yield* sql<CallRow>`SELECT id, lead_id, agent_id, phase, created_at, answered_at,
            (facts->>'bridgedAt')::bigint AS bridged_at, ended_at
            FROM calls WHERE tenant_id = ${tenant.tenantId} AND lead_id IS NOT NULL ORDER BY created_at`
          return { leads, calls }
        }),
      )
    // Let the agents and the dialer drain the queue: every lead dialled, every call ended.
    const settled = (s: Awaited<ReturnType<typeof read>>) =>
      s.leads.every((l) => l.stage === "terminal" || l.stage === "waiting") && s.calls.every((c) => c.phase === "Ended")
    const deadline = Date.now() + 90_000
    let state = await read()
    while (Date.now() < deadline && !settled(state)) {
      await sleep(1_000)
      state = await read()
    }

    const { index: takenOver, at: campaignBackAt } = latestToLog(runners, announced, killedAt)
    const dialsAfterKill = state.calls.filter((c) => Number(c.createdAt) > killedAt)
    const firstDialAfterKill = Math.min(...dialsAfterKill.map((c) => Number(c.createdAt)))
    const firstCampaignDial = Math.min(
      ...dialsAfterKill.filter((c) => Number(c.createdAt) >= campaignBackAt).map((c) => Number(c.createdAt)),
    )
    const perLead = new Map<string, Array<CallRow>>()
    for (const c of state.calls) perLead.set(c.leadId, [...(perLead.get(c.leadId) ?? []), c])
    const perAgent = new Map<string, Array<CallRow>>()
    for (const c of state.calls) {
      if (c.agentId !== null) perAgent.set(c.agentId, [...(perAgent.get(c.agentId) ?? []), c])
    }
    console.log(
      JSON.stringify({
        dialling_gap_ms: firstCampaignDial - killedAt,
        campaign_back_ms: campaignBackAt - killedAt,
        first_call_after_kill_ms: firstDialAfterKill - killedAt,
        killed_runner: killed,
        campaign_now_on: takenOver,
        leads_posted: posted.length,
        posts_refused: refused.length,
        dials: state.calls.length,
        dials_after_kill: dialsAfterKill.length,
        connected: state.calls.filter((c) => c.agentId !== null).length,
        webhooks_failed: (await Effect.runPromise(fake.deliveryFailures)).length,
        reconnects: agents.map((a) => a.reconnects.length),
      }),
    )

    if (dialsAfterKill.length === 0 || campaignBackAt <= killedAt) {
      // Seen once in CI (2026-12-06) and once here (2026-12-07): no runner announced the campaign after the kill; the
      // second time a campaign built on runner 0 as the others joined had stayed registered there (patches/). What
      // each runner said, to find out why.
      started.forEach((runner, index) => {
        const lines = (runner?.output() ?? "")
          .split("\n")
          .filter((line) => line.includes(tenant.campaignId) || /\b(WARN|ERROR)\b|shard/i.test(line))
        console.log(`runner ${index}${index === killed ? " (killed)" : ""}:\n${lines.slice(-40).join("\n")}`)
      })
    }
    const unfinished = state.leads.filter((l) => l.stage !== "terminal" && l.stage !== "waiting")
    for (const lead of unfinished) {
      // How it got stuck: its story from the database, and what every runner logged naming it or its calls.
      const story = await leadStory(db, lead.id, killedAt)
      const ids = [lead.id, ...story.calls.map((c) => c.id)]
      console.log(
        JSON.stringify({
          stuck: lead.id,
          killed_at: killedAt,
          story,
          logs: entriesNaming(
            started.flatMap((r) => (r === null ? [] : [r])),
            ids,
          ),
        }),
      )
    }
    // The campaign came back on another runner and dialled again, well within the 15 s a failover may take.
    expect(takenOver).toBeGreaterThanOrEqual(0)
    expect(dialsAfterKill.length).toBeGreaterThan(0)
    expect(campaignBackAt, "the new runner's log line of the campaign's arrival").toBeGreaterThan(killedAt)
    expect(firstCampaignDial - killedAt).toBeLessThan(15_000)
    // Every lead the control plane took was dialled and is finished or waiting for its next attempt; every call ended.
    expect(new Set(state.leads.map((l) => l.id))).toEqual(new Set(posted))
    expect(refused.length).toBeLessThanOrEqual(2)
    expect(unfinished).toEqual([])
    expect(posted.filter((id) => !perLead.has(id))).toEqual([])
    expect(state.calls.filter((c) => c.phase !== "Ended")).toEqual([])
    // A lead is never on two calls at once, and an agent never connected to two people at once.
    const twice = (rows: ReadonlyArray<CallRow>, from: (c: CallRow) => number) =>
      overlapping(rows.map((c) => [from(c), c.endedAt === null ? null : Number(c.endedAt)] as const))
    expect(Array.from(perLead).filter(([, rows]) => twice(rows, (c) => Number(c.createdAt)))).toEqual([])
    expect(
      Array.from(perAgent).filter(([, rows]) => twice(rows, (c) => Number(c.bridgedAt ?? c.answeredAt ?? c.createdAt))),
    ).toEqual([])
    // People were connected to agents after the kill, and the webhooks all found a runner.
    expect(dialsAfterKill.some((c) => c.agentId !== null)).toBe(true)
    expect(await Effect.runPromise(fake.deliveryFailures)).toEqual([])
  }, 300_000)
})

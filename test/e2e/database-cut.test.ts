/**
 * A runner cut off from PostgreSQL: three runners under a steady load of leads, agents and simulated calls; the
 * network between one runner and the database is cut mid-load (every connection dropped, new ones refused), while
 * the runner itself and its links to the other runners and to its consoles stay up. The runner leaves (it exits,
 * saying why), its consoles reconnect to the others, and the leads posted to the others meanwhile are answered
 * and handed out: afterwards no lead is lost or assigned twice, every call reaches a final state, and every agent
 * is served again. Prints the gap: the longest any agent went without a notification after the cut.
 * Before the runner left on its own, a lead posted to a healthy runner right after the cut waited 290 s for the
 * campaign that had lived on the cut-off runner. Runs on PostgreSQL only.
 */
import { DispositionId } from "@ringmaster/domain"
import type { SeededTenant } from "@ringmaster/store"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { assignmentFacts, untilLeadsTerminal } from "./support/lead-checks.js"
import { firstRunnerWithTenant, type PostedLoad, postLoadLead } from "./support/load-tenant.js"
import { isTrouble, logEntries } from "./support/log-entries.js"
import { ScriptedAgent } from "./support/scripted-agent.js"
import { startServer, type ServerProcess } from "./support/server-process.js"
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js"

const onPostgres = process.env["DATABASE_URL"] !== undefined && process.env["DATABASE_URL"] !== ""
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const LOAD_SECONDS = 36
const CUT_AFTER_SECONDS = 8
const LEADS_PER_SECOND = 4
/** A POST not answered within this long counts as refused (and the next one goes out). */
const POST_PATIENCE_MS = 20_000

describe.skipIf(!onPostgres)("a runner cut off from the database mid-load", () => {
  let db: E2eDatabase
  let proxy: TcpProxy
  const runners: Array<ServerProcess> = []
  let tenant: SeededTenant
  const agents: Array<ScriptedAgent> = []

  beforeAll(async () => {
    db = await e2eDatabase()
    const first = await firstRunnerWithTenant(db, "cut", "Cut")
    tenant = first.tenant
    runners.push(first.runner)
    const env = first.env
    const direct = new URL(db.env["DATABASE_URL"] ?? "")
    proxy = await startTcpProxy(direct)
    const viaProxy = new URL(direct)
    viaProxy.port = new URL(proxy.url).port
    runners.push(await startServer({ ...env, DATABASE_URL: viaProxy.toString() }), await startServer(env))
  }, 240_000)

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()))
    await Promise.all(runners.map((r) => r.stop()))
    await proxy?.close()
    await db?.dispose()
  })

  it("loses nothing, assigns nothing twice, and its agents are served by the others", async () => {
    const urls = () => runners.map((r) => r.baseUrl)
    const notInterested = DispositionId.make("cut-disposition-not-interested")
    tenant.agents.forEach((a) =>
      agents.push(new ScriptedAgent(a.name, a.token, urls, { lazy: false, outcome: notInterested })),
    )
    await Promise.all(agents.map((a, i) => a.start(i % 3)))

    const load: PostedLoad = { posted: [], refused: [] }
    const { posted, refused } = load
    let cutAt = 0
    /** How late the slowest POST was answered, against its schedule. */
    let slowestPostMs = 0
    const startedAt = Date.now()
    for (let i = 0; i < LOAD_SECONDS * LEADS_PER_SECOND; i++) {
      const due = startedAt + (i * 1_000) / LEADS_PER_SECOND
      await sleep(Math.max(0, due - Date.now()))
      if (cutAt === 0 && Date.now() - startedAt >= CUT_AFTER_SECONDS * 1_000) {
        cutAt = Date.now()
        proxy.cut()
      }
      // Leads come in through the runners that still reach the database, as a load balancer checking /health would.
      const via = i % 2 === 0 ? runners[0] : runners[2]
      if (via === undefined) throw new Error("no runner")
      await postLoadLead(load, via, tenant, { label: "Cut", i, phoneBase: 4000 }, POST_PATIENCE_MS)
      slowestPostMs = Math.max(slowestPostMs, Date.now() - due)
    }

    const leads = await untilLeadsTerminal(db, tenant.tenantId, 90_000)
    const facts = await assignmentFacts(db, tenant.tenantId)
    const afterCut = (t: number) => t >= cutAt
    const gaps = agents
      .filter((a) => a.notified.some((n) => afterCut(n.at)))
      .map((a) => (a.notified.find((n) => afterCut(n.at))?.at ?? cutAt) - cutAt)
    console.log(
      JSON.stringify({
        gap_ms: Math.max(...gaps),
        slowest_post_ms: slowestPostMs,
        cut_runner_exit_code: runners[1]?.exitCode(),
        leads_posted: posted.length,
        posts_refused: refused.length,
        reconnects: agents.map((a) => a.reconnects.length),
        notifications: agents.map((a) => a.notified.length),
        notified_after_cut: agents.map((a) => a.notified.filter((n) => afterCut(n.at)).length),
      }),
    )
    const cutRunnerErrors = logEntries(runners[1]?.output() ?? "")
      .filter((entry) => isTrouble(entry) && entry.includes("ERROR"))
      .map((entry) => entry.replace(/\s+/g, " ").slice(0, 300))

    // The cut-off runner left, saying why, and its consoles moved to the others.
    expect(runners[1]?.exitCode()).toBe(1)
    expect(cutRunnerErrors.filter((e) => e.includes("leaving: the database has been unreachable"))).toHaveLength(1)
    expect(agents.filter((_, i) => i % 3 === 1).every((a) => a.reconnects.length > 0)).toBe(true)

    expect(leads.filter((l) => l.stage !== "terminal").map((l) => `${l.id}: ${l.stage}`)).toEqual([])
    expect(new Set(leads.map((l) => l.id))).toEqual(new Set(posted))
    expect(refused).toEqual([])
    expect(facts.accepted.filter((a) => a.n > 1)).toEqual([])
    expect(facts.calls.filter((c) => c.phase !== "Ended")).toEqual([])
    expect(facts.overdueOffers).toEqual([])
    expect(agents.map((a) => a.doubleNotifications)).toEqual(agents.map(() => 0))
    expect(agents.filter((a) => !a.notified.some((n) => afterCut(n.at))).map((a) => a.name)).toEqual([])
    // Nobody waited minutes: a POST to a healthy runner is answered within seconds of the cut.
    expect(slowestPostMs).toBeLessThan(15_000)
  }, 300_000)
})

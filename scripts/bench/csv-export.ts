/**
 * `pnpm bench csv-export`: the Calls CSV of a tenant with a million calls, downloaded through the real HTTP server
 * on PostgreSQL. Reports rows per second and bytes, and the peak resident memory of the server process for a tenth
 * of the calls and for all of them: the two peaks are close when the export streams.
 */
import { SqlClient } from "@effect/sql"
import { Database } from "@ringmaster/store"
import { parse } from "csv-parse/sync"
import { Console, Effect } from "effect"
import { loadavg } from "node:os"
import { startServer } from "../../test/e2e/support/server-process.js"
import type { Bench } from "./lib/bench.js"
import { flagHelp, parseFlags } from "./lib/flags.js"
import { childPid, residentBytes, sampleResident } from "./lib/process-rss.js"
import { metricsOf } from "./lib/results.js"
import { postgresServerUrl, scratchDatabase } from "./lib/scratch-database.js"

const flagSpec = {
  calls: {
    default: 1_000_000,
    min: 100,
    max: 10_000_000,
    integer: true,
    description: "calls seeded, spread evenly over 100 days",
  },
  leads: { default: 10_000, min: 1, max: 1_000_000, integer: true, description: "leads the calls are made to" },
} as const

const DAY = 86_400_000
const DAYS = 100
/** The smaller download: the first tenth of the days, so a tenth of the calls. */
const SUBSET_DAYS = 10
const MB = 1024 * 1024

const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10)

interface Download {
  readonly rows: number
  readonly bytes: number
  readonly seconds: number
  readonly firstByteMs: number
  readonly peakRss: number
  /** The peak resident memory seen by the time each tenth of the rows had arrived. */
  readonly peakRssByTenth: ReadonlyArray<number>
  readonly head: string
}

/**
 * Downloads `path`, counting bytes and records as they arrive (the bench data has no line break inside a cell, so
 * a record is a line), while sampling the server's resident memory. Keeps the first 64 kB to check its shape.
 */
const download = (url: string, token: string, serverPid: number, expectedRows: number) =>
  Effect.promise(async (): Promise<Download> => {
    const sampler = sampleResident(serverPid, 20)
    const started = performance.now()
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    if (response.status !== 200 || response.body === null) {
      sampler.stop()
      throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`)
    }
    let firstByteMs = Number.NaN
    let bytes = 0
    let lines = 0
    let head = ""
    const peakRssByTenth: Array<number> = []
    const decoder = new TextDecoder()
    const reader = response.body.getReader()
    for (;;) {
      const { done, value: chunk } = await reader.read()
      if (done) break
      if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started
      bytes += chunk.byteLength
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) lines++
      while (peakRssByTenth.length < 10 && lines - 1 >= ((peakRssByTenth.length + 1) * expectedRows) / 10) {
        peakRssByTenth.push(sampler.peak())
      }
      if (head.length < 65_536) head += decoder.decode(chunk, { stream: true })
    }
    const seconds = (performance.now() - started) / 1000
    return { rows: lines - 1, bytes, seconds, firstByteMs, peakRss: sampler.stop(), peakRssByTenth, head }
  })

export const bench: Bench = {
  description: "the Calls CSV of a million calls through the HTTP server: rows/s, bytes, server memory",
  run: (argv) =>
    Effect.gen(function* () {
      if (argv.includes("--help")) {
        yield* Console.error(`pnpm bench csv-export [flags]\n${flagHelp(flagSpec)}`)
        return []
      }
      const flags = yield* parseFlags(flagSpec, argv)
      const metric = metricsOf("csv-export")
      const url = yield* scratchDatabase(postgresServerUrl(process.env))
      const server = yield* Effect.acquireRelease(
        Effect.promise(() =>
          startServer({ DATABASE_URL: url.toString(), DATA_DIR: undefined, DEMO: "true", DEMO_LEADS: "0" }),
        ),
        (s) => Effect.promise(() => s.stop()),
      )
      const serverPid = childPid("apps/server/src/main.ts")
      if (serverPid === undefined) return yield* Effect.dieMessage("could not find the server process under /proc")
      const database = Database.layerPostgres({ url, maxConnections: 2 })

      // Set-based seeding: the demo tenant's campaign and agents, `leads` leads (terminal: the runtime leaves them
      // alone) and `calls` calls evenly over 100 days, with names, dispositions, answers and hang-ups to show.
      const base = Math.floor(Date.now() / DAY) * DAY - DAYS * DAY
      const seedStarted = performance.now()
      const subsetExpected = yield* Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, stage,
            created_at, updated_at)
          SELECT 'bench-lead-' || g, 'demo', 'demo-campaign-intake', 'demo-type-injury', 'demo-status-new',
            'Bench Lead ' || g, '+1415' || (2000000 + g)::text, 'terminal', ${base}::bigint, ${base}::bigint
          FROM generate_series(1, ${flags.leads}::int) AS g`
        yield* sql`INSERT INTO calls (id, tenant_id, campaign_id, lead_id, agent_id, direction, from_number, to_number,
            phase, facts, disposition_id, created_at, answered_at, ended_at, hangup_cause)
          SELECT 'bench-call-' || lpad(g::text, 8, '0'), 'demo', 'demo-campaign-intake',
            'bench-lead-' || (1 + g % ${flags.leads}::int),
            CASE WHEN g % 2 = 0 THEN 'demo-agent-ada' ELSE 'demo-agent-grace' END,
            CASE WHEN g % 10 = 0 THEN 'inbound' ELSE 'outbound' END,
            '+14155550100', '+1415' || (2000001 + g % ${flags.leads}::int)::text, 'Ended',
            CASE WHEN g % 3 = 0 THEN '{"amdResult":null}' ELSE '{"amdResult":"human"}' END::jsonb,
            CASE g % 4 WHEN 0 THEN 'demo-disposition-no-answer' WHEN 1 THEN 'demo-disposition-call-back-later'
              WHEN 2 THEN 'demo-disposition-consultation-booked' END,
            t.at, CASE WHEN g % 3 = 0 THEN NULL ELSE t.at + 8000 END, t.at + 60000 + (g % 300) * 1000,
            'normal_clearing'
          FROM generate_series(0, ${flags.calls - 1}::int) AS g,
            LATERAL (SELECT ${base}::bigint + (g::bigint * ${DAYS * DAY}::bigint) / ${flags.calls}::bigint AS at) AS t`
        yield* sql`ANALYZE calls`
        yield* sql`ANALYZE leads`
        const [row] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM calls
          WHERE tenant_id = 'demo' AND created_at < ${base + SUBSET_DAYS * DAY}`
        return row?.n ?? 0
      }).pipe(Effect.provide(database))
      const seedSeconds = (performance.now() - seedStarted) / 1000
      yield* Console.error(`seeded ${flags.calls} calls and ${flags.leads} leads in ${seedSeconds.toFixed(1)} s`)

      const idleRss = residentBytes(serverPid) ?? Number.NaN
      const token = "demo-supervisor-token"
      const subsetUrl = `${server.baseUrl}/reports/calls.csv?from=${utcDay(base)}&to=${utcDay(base + (SUBSET_DAYS - 1) * DAY)}`
      const serverLog = Effect.onError(() =>
        Console.error(`server output (last lines):\n${server.output().slice(-4_000)}`),
      )
      const subset = yield* download(subsetUrl, token, serverPid, subsetExpected).pipe(serverLog)
      const full = yield* download(`${server.baseUrl}/reports/calls.csv`, token, serverPid, flags.calls).pipe(serverLog)

      // The output is well-formed CSV: the head parses, with the columns of the header on every record.
      const head = full.head.slice(0, full.head.lastIndexOf("\r\n") + 2)
      const parsed: Array<Record<string, string>> = parse(head, { columns: true })
      const wellFormed = parsed.length > 0 && parsed[0]?.["call_id"] === "bench-call-00000000"
      if (subset.rows !== subsetExpected || full.rows !== flags.calls || !wellFormed) {
        return yield* Effect.dieMessage(
          `expected ${subsetExpected} and ${flags.calls} rows, got ${subset.rows} and ${full.rows}` +
            (wellFormed ? "" : "; the CSV head did not parse as expected"),
        )
      }
      const loadAverage = loadavg()[0] ?? 0
      const line = (name: string, d: Download) =>
        `${name}: ${d.rows} rows, ${(d.bytes / MB).toFixed(1)} MB in ${d.seconds.toFixed(1)} s ` +
        `(${(d.rows / d.seconds).toFixed(0)} rows/s, first byte ${d.firstByteMs.toFixed(0)} ms), ` +
        `server peak RSS ${(d.peakRss / MB).toFixed(0)} MB`
      yield* Console.error(
        `server RSS before: ${(idleRss / MB).toFixed(0)} MB\n${line("tenth", subset)}\n${line("all", full)}\n` +
          `server peak RSS by tenth of all rows (MB): ${full.peakRssByTenth.map((b) => (b / MB).toFixed(0)).join(" ")}\n` +
          `load average ${loadAverage.toFixed(2)}`,
      )
      return [
        metric("calls_seeded", flags.calls, "count"),
        metric("seed_seconds", seedSeconds, "s"),
        metric("rss_idle", idleRss / MB, "MB"),
        metric("tenth_rows", subset.rows, "count"),
        metric("tenth_rows_per_second", subset.rows / subset.seconds, "rows/s"),
        metric("tenth_bytes", subset.bytes, "bytes"),
        metric("tenth_peak_rss", subset.peakRss / MB, "MB"),
        metric("all_rows", full.rows, "count"),
        metric("all_rows_per_second", full.rows / full.seconds, "rows/s"),
        metric("all_bytes", full.bytes, "bytes"),
        metric("all_mb_per_second", full.bytes / MB / full.seconds, "MB/s"),
        metric("all_first_byte", full.firstByteMs, "ms"),
        metric("all_peak_rss", full.peakRss / MB, "MB"),
        metric("peak_rss_growth", (full.peakRss - subset.peakRss) / MB, "MB"),
        metric("all_peak_rss_at_half", (full.peakRssByTenth[4] ?? Number.NaN) / MB, "MB"),
        metric("all_rss_growth_after_first_tenth", (full.peakRss - (full.peakRssByTenth[0] ?? Number.NaN)) / MB, "MB"),
        metric("load_average_1m", loadAverage, "load"),
      ]
    }).pipe(Effect.scoped),
}

import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { libpqEnv, parsePgbenchOutput } from "../../bench/lib/pgbench.js"

/** What pgbench 15 printed on this machine for the single-row update script. */
const pgbench15 = `pgbench (15.20 (Debian 15.20-0+deb12u1))
transaction type: /tmp/h7-upd.sql
scaling factor: 1
query mode: simple
number of clients: 4
number of threads: 2
maximum number of tries: 1
duration: 3 s
number of transactions actually processed: 1781
number of failed transactions: 0 (0.000%)
latency average = 6.709 ms
initial connection time = 33.696 ms
tps = 596.235847 (without initial connection time)
`

/** pgbench 13 and older: two tps lines and no failure count. */
const pgbench12 = `transaction type: update.sql
scaling factor: 1
query mode: simple
number of clients: 10
number of threads: 2
duration: 10 s
number of transactions actually processed: 52000
latency average = 1.923 ms
tps = 5190.000000 (including connections establishing)
tps = 5200.500000 (excluding connections establishing)
`

describe("parsePgbenchOutput", () => {
  it("reads the rate, the transactions, the failures, the latency and the clients of pgbench 15", () => {
    expect(parsePgbenchOutput(pgbench15)).toEqual(
      Either.right({ tps: 596.235847, transactions: 1781, failed: 0, latencyAverageMs: 6.709, clients: 4 }),
    )
  })

  it("takes the rate without the connection time from an older pgbench, and counts no failures", () => {
    const parsed = parsePgbenchOutput(pgbench12)
    expect(parsed).toEqual(
      Either.right({ tps: 5200.5, transactions: 52000, failed: 0, latencyAverageMs: 1.923, clients: 10 }),
    )
  })

  it("reports failed transactions", () => {
    const withFailures = pgbench15.replace("failed transactions: 0 (0.000%)", "failed transactions: 17 (0.950%)")
    expect(Either.map(parsePgbenchOutput(withFailures), (r) => r.failed)).toEqual(Either.right(17))
  })

  it("refuses output without a rate, quoting it", () => {
    const aborted = 'pgbench: error: connection to server failed: FATAL:  database "nope" does not exist\n'
    const parsed = parsePgbenchOutput(aborted)
    expect(Either.isLeft(parsed)).toBe(true)
    if (Either.isLeft(parsed)) expect(parsed.left).toContain('database "nope" does not exist')
  })
})

describe("libpqEnv", () => {
  it("names host, port, database, user and the decoded password", () => {
    expect(libpqEnv(new URL("postgres://bench%40x:p%3Ass@db.example:6543/rm_t_abc"))).toEqual({
      PGHOST: "db.example",
      PGPORT: "6543",
      PGDATABASE: "rm_t_abc",
      PGUSER: "bench@x",
      PGPASSWORD: "p:ss",
    })
  })

  it("defaults the port and leaves out what the URL does not give", () => {
    expect(libpqEnv(new URL("postgres://127.0.0.1/scratch"))).toEqual({
      PGHOST: "127.0.0.1",
      PGPORT: "5432",
      PGDATABASE: "scratch",
    })
  })
})

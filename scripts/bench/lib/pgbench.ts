import { Effect, Either, Schema } from "effect"
import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { promisify } from "node:util"

const execFileAsync = promisify(execFile)

/** pgbench could not be found, failed, or printed something this parser does not understand. */
export class PgbenchFailed extends Schema.TaggedError<PgbenchFailed>()("PgbenchFailed", {
  message: Schema.String,
}) {}

/** What a pgbench run reports, read from its output. */
export interface PgbenchResult {
  /** Transactions per second, without the time to open the connections. */
  readonly tps: number
  readonly transactions: number
  /** Failed transactions (pgbench 15 and later print them; 0 when the line is absent). */
  readonly failed: number
  readonly latencyAverageMs: number | undefined
  readonly clients: number | undefined
}

const numberAfter = (output: string, pattern: RegExp): number | undefined => {
  const match = pattern.exec(output)
  if (match === null || match[1] === undefined) return undefined
  const value = Number(match[1])
  return Number.isFinite(value) ? value : undefined
}

/**
 * Reads the summary pgbench prints at the end of a run (`tps = ... (without initial connection time)`, the
 * transactions processed, failures, average latency). Older pgbench prints two tps lines: the one "excluding
 * connections establishing" is taken. Left with a message quoting the output when there is no tps.
 */
export const parsePgbenchOutput = (output: string): Either.Either<PgbenchResult, string> => {
  const tps =
    numberAfter(output, /^tps = ([\d.]+) \(without initial connection time\)/m) ??
    numberAfter(output, /^tps = ([\d.]+) \(excluding connections establishing\)/m)
  const transactions = numberAfter(output, /^number of transactions actually processed: (\d+)/m)
  if (tps === undefined || transactions === undefined) {
    return Either.left(`pgbench printed no tps and transaction count:\n${output.slice(-2000)}`)
  }
  return Either.right({
    tps,
    transactions,
    failed: numberAfter(output, /^number of failed transactions: (\d+)/m) ?? 0,
    latencyAverageMs: numberAfter(output, /^latency average = ([\d.]+) ms/m),
    clients: numberAfter(output, /^number of clients: (\d+)/m),
  })
}

/** The pgbench binary: on the PATH, else in a PostgreSQL install under /usr/lib/postgresql (Debian). */
export const findPgbench = (env: Readonly<Record<string, string | undefined>>): string | undefined => {
  const onPath = (env["PATH"] ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "")
    .map((dir) => join(dir, "pgbench"))
  const debian = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join("/usr/lib/postgresql", version, "bin", "pgbench"))
    : []
  return [...onPath, ...debian].find((path) => existsSync(path))
}

/** libpq's environment for a `postgres://` URL, so that no password shows on a command line. */
export const libpqEnv = (url: URL): Record<string, string> => {
  const env: Record<string, string> = {
    PGHOST: url.hostname === "" ? "127.0.0.1" : url.hostname,
    PGPORT: url.port === "" ? "5432" : url.port,
    PGDATABASE: decodeURIComponent(url.pathname.replace(/^\//, "")),
  }
  if (url.username !== "") env["PGUSER"] = decodeURIComponent(url.username)
  if (url.password !== "") env["PGPASSWORD"] = decodeURIComponent(url.password)
  return env
}

/** One UPDATE of one random row of pgbench_accounts (100,000 rows per unit of scale), in its own transaction. */
export const singleRowUpdateScript = [
  "\\set aid random(1, 100000 * :scale)",
  "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;",
  "",
].join("\n")

const run = (binary: string, args: ReadonlyArray<string>, env: Record<string, string>, what: string) =>
  Effect.tryPromise({
    // The signal kills pgbench when the bench is interrupted (Ctrl-C).
    try: (signal) =>
      execFileAsync(binary, [...args], { env: { ...process.env, ...env }, signal, maxBuffer: 16 * 1024 * 1024 }),
    catch: (error) => {
      const e = error as { readonly stderr?: unknown; readonly message?: unknown }
      const detail = typeof e.stderr === "string" && e.stderr !== "" ? e.stderr : String(e.message ?? error)
      return new PgbenchFailed({ message: `${what} failed: ${detail.slice(-2000)}` })
    },
  })

/**
 * `pgbench -i -s scale` in the database of `url` (it creates its own tables), then `clients` connections run the
 * single-row update for `seconds`.
 */
export const runSingleRowUpdates = (options: {
  readonly url: URL
  readonly scale: number
  readonly clients: number
  readonly threads: number
  readonly seconds: number
}) =>
  Effect.gen(function* () {
    const binary = findPgbench(process.env)
    if (binary === undefined) {
      return yield* new PgbenchFailed({
        message:
          "pgbench was not found on the PATH nor under /usr/lib/postgresql (Debian: apt-get install postgresql-client)",
      })
    }
    const env = libpqEnv(options.url)
    yield* run(binary, ["-i", "-q", "-s", String(options.scale)], env, "pgbench -i")
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "ringmaster-pgbench-"))),
      (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true })),
    )
    const script = join(dir, "single-row-update.sql")
    writeFileSync(script, singleRowUpdateScript)
    const args = [
      "-n",
      "-f",
      script,
      "-c",
      String(options.clients),
      "-j",
      String(options.threads),
      "-T",
      String(options.seconds),
    ]
    const { stdout } = yield* run(binary, args, env, `pgbench ${args.join(" ")}`)
    const parsed = parsePgbenchOutput(stdout)
    if (Either.isLeft(parsed)) return yield* new PgbenchFailed({ message: parsed.left })
    return parsed.right
  }).pipe(Effect.scoped)

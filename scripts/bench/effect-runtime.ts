/**
 * `pnpm bench effect-runtime`: what the runtime's own machinery costs, on the Effect 3 line Ringmaster runs on and on
 * Effect 4, for the same workloads (`effect-runtime/line-3.ts`, `effect-runtime/line-4.ts`): the CPU of a generator
 * step, a hand-over between two fibers, a fork and join, a Schema decode of an agent's row, and a message to a
 * cluster entity with its reply. Each line runs in its own process, the two taking turns, so that neither inherits the
 * other's heap or compiled code; the best round of every workload on each line is kept.
 */
import { Console, Effect } from "effect"
import { execFile } from "node:child_process"
import { loadavg } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Bench } from "./lib/bench.js"
import { flagHelp, parseFlags } from "./lib/flags.js"
import { type BenchMetric, metricsOf } from "./lib/results.js"
import type { WorkloadResult } from "./effect-runtime/measure.js"

const flagSpec = {
  rounds: { default: 3, min: 1, max: 50, integer: true, description: "measured rounds of each workload in a worker" },
  turns: { default: 2, min: 1, max: 20, integer: true, description: "workers started for each line, taking turns" },
  scale: {
    default: 1,
    min: 0.01,
    max: 100,
    integer: false,
    description: "multiplies every workload's operations (1: 20,000 messages, 200,000 decodes)",
  },
} as const

const metric = metricsOf("effect-runtime")
export const lines = ["3", "4"] as const
export type Line = (typeof lines)[number]

const workerPath = (line: Line) => join(dirname(fileURLToPath(import.meta.url)), "effect-runtime", `line-${line}.ts`)

const isResults = (value: unknown): value is ReadonlyArray<WorkloadResult> =>
  Array.isArray(value) &&
  value.every(
    (r: unknown) =>
      typeof r === "object" &&
      r !== null &&
      "workload" in r &&
      typeof r.workload === "string" &&
      "microsPerOperation" in r &&
      typeof r.microsPerOperation === "number",
  )

/** One worker process of `line`, under this Node.js with the flags of `pnpm bench`, whatever ran this module. */
export const runWorker = (line: Line, rounds: number, scale: number) =>
  Effect.async<ReadonlyArray<WorkloadResult>, Error>((resume) => {
    const child = execFile(
      process.execPath,
      ["--max-semi-space-size=64", "--import", "tsx", workerPath(line), String(rounds), String(scale)],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error !== null)
          return resume(Effect.fail(new Error(`the Effect ${line} worker failed: ${stderr || error.message}`)))
        const parsed: unknown = JSON.parse(stdout.trim().split("\n").at(-1) ?? "null")
        if (!isResults(parsed)) return resume(Effect.fail(new Error(`the Effect ${line} worker printed ${stdout}`)))
        resume(Effect.succeed(parsed))
      },
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

export const bench: Bench = {
  description: "the Effect runtime's own costs (fibers, Schema, cluster messages) on Effect 3 and on Effect 4",
  run: (argv) =>
    Effect.gen(function* () {
      if (argv.includes("--help")) {
        yield* Console.error(`pnpm bench effect-runtime [flags]\n${flagHelp(flagSpec)}`)
        return []
      }
      const flags = yield* parseFlags(flagSpec, argv)
      const best = new Map<string, number>()
      const workloads: Array<string> = []
      for (let turn = 1; turn <= flags.turns; turn++) {
        for (const line of lines) {
          yield* Console.error(`turn ${turn} of ${flags.turns}: Effect ${line}`)
          for (const result of yield* runWorker(line, flags.rounds, flags.scale)) {
            if (!workloads.includes(result.workload)) workloads.push(result.workload)
            const key = `${result.workload}_effect${line}`
            best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, result.microsPerOperation))
          }
        }
      }
      const metrics: Array<BenchMetric> = []
      const table = [
        `effect-runtime bench: µs of CPU an operation, the best of ${flags.turns} × ${flags.rounds} rounds`,
      ]
      table.push(`  ${"workload".padEnd(28)}${"Effect 3".padStart(10)}${"Effect 4".padStart(10)}${"3 / 4".padStart(8)}`)
      for (const workload of workloads) {
        const three = best.get(`${workload}_effect3`) ?? Number.NaN
        const four = best.get(`${workload}_effect4`) ?? Number.NaN
        const ratio = three / four
        table.push(
          `  ${workload.padEnd(28)}${three.toFixed(2).padStart(10)}${four.toFixed(2).padStart(10)}${ratio.toFixed(2).padStart(8)}`,
        )
        metrics.push(
          metric(`${workload}_effect3`, three, "µs"),
          metric(`${workload}_effect4`, four, "µs"),
          metric(`${workload}_ratio`, ratio, "ratio"),
        )
      }
      const load = loadavg()[0] ?? 0
      table.push(`  machine load     ${load.toFixed(2)} (1-minute load average at the end)`)
      yield* Console.error(table.join("\n"))
      metrics.push(metric("load_average_1m", load, "load"))
      return metrics
    }),
}

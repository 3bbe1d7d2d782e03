/**
 * The measuring side of the `effect-runtime` workers, free of any Effect line so that both lines are timed alike:
 * each workload runs once as a warm-up (a tenth of its operations), then `rounds` times; the fewest microseconds of
 * CPU (user + system) an operation took is kept, the least disturbed by other work on the machine.
 */
export interface Workload {
  readonly name: string
  /** Operations of one measured round. */
  readonly operations: number
  readonly run: (operations: number) => Promise<void>
}

export interface WorkloadResult {
  readonly workload: string
  readonly microsPerOperation: number
}

export const measure = async (workloads: ReadonlyArray<Workload>, rounds: number): Promise<Array<WorkloadResult>> => {
  const results: Array<WorkloadResult> = []
  for (const workload of workloads) {
    await workload.run(Math.max(1, Math.floor(workload.operations / 10)))
    let best = Number.POSITIVE_INFINITY
    for (let round = 0; round < rounds; round++) {
      const before = process.cpuUsage()
      await workload.run(workload.operations)
      const used = process.cpuUsage(before)
      best = Math.min(best, (used.user + used.system) / workload.operations)
    }
    results.push({ workload: workload.name, microsPerOperation: best })
  }
  return results
}

/** A worker's argv: `<rounds> <scale>`; scale multiplies every workload's operations (1 by default). */
export const workerArgs = (argv: ReadonlyArray<string>): { readonly rounds: number; readonly scale: number } => {
  const rounds = Number(argv[0] ?? "3")
  const scale = Number(argv[1] ?? "1")
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds: ${JSON.stringify(argv[0])} must be 1 or more`)
  if (!(scale > 0)) throw new Error(`scale: ${JSON.stringify(argv[1])} must be above 0`)
  return { rounds, scale }
}

/** The worker's one line of output to the bench: its results as JSON on stdout. */
export const report = (results: ReadonlyArray<WorkloadResult>): void => {
  process.stdout.write(`${JSON.stringify(results)}\n`)
}

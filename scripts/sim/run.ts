/**
 * `pnpm sim [flags]`: one simulated contact-center day per pacing strategy, side by side. A readable table goes
 * to stderr, then JSON lines `{"bench":"sim","strategy","metric","value","unit"}` to stdout, last.
 * Exit codes: 0 done, 2 bad flags. `pnpm sim --entities [flags]` runs the day on the real entities instead
 * (entities/main.ts).
 */
import { Either } from "effect"
import { flagHelp } from "../bench/lib/flags.js"
import { simFlags, parseSimOptions } from "./options.js"
import { jsonLines, table } from "./report.js"
import { strategyNames } from "./strategies.js"
import { simulateDay } from "./world.js"

const argv = process.argv.slice(2)
if (argv.includes("--entities")) {
  const { main } = await import("./entities/main.js")
  main(argv.filter((arg) => arg !== "--entities"))
} else {
  runModel()
}

function runModel(): void {
  if (argv.includes("--help")) {
    process.stderr.write(
      `usage: pnpm sim [flags]; durations in seconds\n${flagHelp(simFlags)}\n` +
        `pnpm sim --entities [flags]: the same day on the real entities (pnpm sim --entities --help)\n`,
    )
    process.exit(0)
  }
  const parsed = parseSimOptions(argv)
  if (Either.isLeft(parsed)) {
    process.stderr.write(`${parsed.left.message}\n(pnpm sim --help lists the flags)\n`)
    process.exit(2)
  }
  const options = parsed.right
  const started = performance.now()
  const results = strategyNames.map((name) => simulateDay(options, name))
  const wallSeconds = (performance.now() - started) / 1000

  process.stderr.write(
    `${options.agents} agents, ${(options.shiftMs / 3_600_000).toFixed(2)} h shift, seed ${options.seed}\n\n` +
      `${table(results)}\n\nsimulated ${results.length} days in ${wallSeconds.toFixed(2)} s\n`,
  )
  for (const result of results) for (const line of jsonLines(result)) process.stdout.write(`${line}\n`)
  process.stdout.write(
    `{"bench":"sim","strategy":"all","metric":"run_time","value":${wallSeconds.toFixed(3)},"unit":"s"}\n`,
  )
}

import { Either } from "effect"
import { InvalidBenchFlag, parseFlags } from "../../bench/lib/flags.js"
import type { FlagSpec, FlagValues } from "../../bench/lib/flags.js"
import { simFlags, simOptionsFrom } from "../options.js"
import type { SimOptions } from "../options.js"

/** The strategies the Campaign entity has: VICIdial's law lives only in the model. */
export const entityStrategyNames = ["progressive", "fixed-2.0", "ours"] as const
export type EntityStrategyName = (typeof entityStrategyNames)[number]

/** The Call entity gives up on a call that rings this long, whatever the carrier would allow. */
export const entityRingTimeoutMs = 30_000

const { tick: _modelOnly, ...sharedFlags } = simFlags

/**
 * The flags of `pnpm sim --entities`: the model's, but a 1-hour day by default (a day on the entities costs real
 * time), no `--tick` (the Campaign entity paces every second), and the step the world's clock moves by.
 */
export const entityFlags = {
  ...sharedFlags,
  hours: { ...simFlags.hours, default: 1 },
  step: {
    default: 1,
    min: 0.05,
    max: 60,
    integer: false,
    description: "the clock moves by at most this much between looks (agents' wrap-ups and new leads are exact)",
  },
} satisfies FlagSpec

export type EntityFlags = FlagValues<typeof entityFlags>

export interface EntitySimOptions {
  /** The day's options, read as the model reads them (the same carrier, talk, wrap-up, leads). */
  readonly sim: SimOptions
  readonly strategies: ReadonlyArray<EntityStrategyName>
  readonly stepMs: number
}

const strategiesFlag = "--strategies"

/** `--strategies a,b` (or `--strategies=a,b`) taken out of argv, with what is left. */
const takeStrategies = (
  argv: ReadonlyArray<string>,
): Either.Either<{ readonly value: string | undefined; readonly rest: ReadonlyArray<string> }, InvalidBenchFlag> => {
  const rest: Array<string> = []
  let value: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ""
    if (arg.startsWith(`${strategiesFlag}=`)) value = arg.slice(strategiesFlag.length + 1)
    else if (arg === strategiesFlag) {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith("--")) {
        return Either.left(
          new InvalidBenchFlag({ field: strategiesFlag, value: "", message: `${strategiesFlag}: needs a value` }),
        )
      }
      value = next
      i++
    } else rest.push(arg)
  }
  return Either.right({ value, rest })
}

const parseStrategies = (
  raw: string | undefined,
): Either.Either<ReadonlyArray<EntityStrategyName>, InvalidBenchFlag> => {
  if (raw === undefined) return Either.right(entityStrategyNames)
  const names = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
  const known: ReadonlyArray<string> = entityStrategyNames
  const unknown = names.find((name) => !known.includes(name))
  if (names.length === 0 || unknown !== undefined) {
    const why = unknown === "vicidial" ? "has no entity implementation (it exists in the model only)" : "is unknown"
    return Either.left(
      new InvalidBenchFlag({
        field: strategiesFlag,
        value: raw,
        message: `${strategiesFlag}: ${JSON.stringify(unknown ?? raw)} ${why}; choose among ${entityStrategyNames.join(", ")}`,
      }),
    )
  }
  return Either.right(entityStrategyNames.filter((name) => names.includes(name)))
}

/** Options from flag values (the strategies already read). */
export const entityOptionsFrom = (
  f: EntityFlags,
  strategies: ReadonlyArray<EntityStrategyName> = entityStrategyNames,
): Either.Either<EntitySimOptions, InvalidBenchFlag> => {
  const { step, ...shared } = f
  return Either.map(simOptionsFrom({ ...shared, tick: 1 }), (sim) => ({
    sim,
    strategies,
    stepMs: Math.round(step * 1000),
  }))
}

/** Options of `pnpm sim --entities` from the command line (without `--entities`). */
export const parseEntityOptions = (argv: ReadonlyArray<string>): Either.Either<EntitySimOptions, InvalidBenchFlag> =>
  Either.flatMap(takeStrategies(argv), ({ value, rest }) =>
    Either.flatMap(parseStrategies(value), (strategies) =>
      Either.flatMap(parseFlags(entityFlags, rest), (flags) => entityOptionsFrom(flags, strategies)),
    ),
  )

/** The defaults with some flags changed, for tests. */
export const entityOptions = (
  overrides: Partial<EntityFlags> = {},
  strategies: ReadonlyArray<EntityStrategyName> = entityStrategyNames,
): EntitySimOptions => {
  const defaults = Object.fromEntries(Object.entries(entityFlags).map(([name, spec]) => [name, spec.default]))
  const result = entityOptionsFrom({ ...(defaults as EntityFlags), ...overrides }, strategies)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

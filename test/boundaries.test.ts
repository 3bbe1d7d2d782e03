import { describe, expect, it } from "@effect/vitest"
import { cruise, type ICruiseResult, type IViolation } from "dependency-cruiser"
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options"
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config"
import { Effect } from "effect"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)))
const fixtures = "test/fixtures/boundaries"
const fixture = (file: string): string => `${fixtures}/${file}`

/** Runs the project's dependency-cruiser configuration over `paths` (relative to the repository root). */
const checkBoundaries = (paths: ReadonlyArray<string>, options: { readonly includeFixtures: boolean }) =>
  Effect.promise(async (): Promise<ReadonlyArray<IViolation>> => {
    const config = await extractDepcruiseOptions(join(repoRoot, ".dependency-cruiser.cjs"))
    const tsConfig = extractTSConfig(join(repoRoot, "tsconfig.json"))
    const result = await cruise(
      [...paths],
      {
        ...config,
        baseDir: repoRoot,
        // the real run excludes the fixtures; here they are the subject
        ...(options.includeFixtures ? { exclude: { path: ["(?:^|/)node_modules/"] } } : {}),
      },
      {},
      { tsConfig },
    )
    const output: ICruiseResult | string = result.output
    if (typeof output === "string") throw new Error(`dependency-cruiser returned text, not a result: ${output}`)
    return output.summary.violations
  })

const describeViolation = (violation: IViolation): string =>
  `${violation.rule.name}: ${violation.from} -> ${violation.to}`

const rulesBrokenBy = (violations: ReadonlyArray<IViolation>, file: string): ReadonlyArray<string> =>
  violations.filter((violation) => violation.from === fixture(file)).map((violation) => violation.rule.name)

describe("package boundaries", () => {
  it.effect("reports an import from a lower package into a higher one", () =>
    Effect.gen(function* () {
      const violations = yield* checkBoundaries([fixtures], { includeFixtures: true })
      const upward = violations.filter(
        (violation) => violation.from === fixture("packages/domain/src/upward-import.ts"),
      )
      expect(upward.map((violation) => [violation.rule.name, violation.to])).toEqual([
        ["layer-domain", fixture("packages/protocol/src/contract.ts")],
      ])
    }),
  )

  it.effect("reports an upward import written as a workspace package name, even when it does not resolve", () =>
    Effect.gen(function* () {
      const violations = yield* checkBoundaries([fixtures], { includeFixtures: true })
      expect(rulesBrokenBy(violations, "packages/carrier/src/named-upward-import.js")).toContain("layer-carrier")
    }),
  )

  it.effect("reports an import between store and carrier, which share a layer", () =>
    Effect.gen(function* () {
      const violations = yield* checkBoundaries([fixtures], { includeFixtures: true })
      expect(rulesBrokenBy(violations, "packages/store/src/sideways-import.ts")).toEqual(["layer-store"])
    }),
  )

  it.effect("reports the console importing domain directly instead of through protocol", () =>
    Effect.gen(function* () {
      const violations = yield* checkBoundaries([fixtures], { includeFixtures: true })
      expect(rulesBrokenBy(violations, "apps/console/src/direct-domain-import.ts")).toEqual(["layer-console"])
    }),
  )

  it.effect("reports domain importing a module other than effect and libphonenumber-js", () =>
    Effect.gen(function* () {
      const violations = yield* checkBoundaries([fixtures], { includeFixtures: true })
      expect(rulesBrokenBy(violations, "packages/domain/src/node-core-import.ts")).toEqual(["domain-npm-allowlist"])
    }),
  )

  it.effect("reports a circular import with the modules of the cycle", () =>
    Effect.gen(function* () {
      const violations = yield* checkBoundaries([fixtures], { includeFixtures: true })
      const cycles = violations.filter((violation) => violation.rule.name === "no-circular")
      expect(cycles).toHaveLength(1)
      const cycleModules = (cycles[0]?.cycle ?? []).map((step) => step.name).sort()
      expect(cycleModules).toEqual([
        fixture("packages/runtime/src/cycle-a.ts"),
        fixture("packages/runtime/src/cycle-b.ts"),
      ])
    }),
  )

  it.effect("leaves imports that follow the layers unreported", () =>
    Effect.gen(function* () {
      const violations = yield* checkBoundaries([fixtures], { includeFixtures: true })
      expect(rulesBrokenBy(violations, "packages/protocol/src/contract.ts")).toEqual([])
      expect(rulesBrokenBy(violations, "packages/domain/src/rule.ts")).toEqual([])
      expect(rulesBrokenBy(violations, "packages/carrier/src/port.ts")).toEqual([])
    }),
  )

  it.effect("finds no violation in the real tree", () =>
    Effect.gen(function* () {
      const violations = yield* checkBoundaries(["packages", "apps", "scripts", "test"], { includeFixtures: false })
      expect(violations.map(describeViolation)).toEqual([])
    }),
  )
})

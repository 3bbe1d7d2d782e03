// Package boundaries of /work/shared/ARCHITECTURE.md, checked by `pnpm boundaries`.
//
// A workspace import shows up in two shapes: resolved through the pnpm symlink to its real
// path (`packages/store/src/index.ts`), or, when the importing package does not declare the
// dependency, unresolved under its name (`@ringmaster/store`). Every layer rule matches both.
// The optional `test/fixtures/boundaries/` prefix lets test/boundaries.test.ts run the same
// rules on fixture folders that mimic the real tree.

/** @type {Record<string, string>} workspace package name -> folder */
const workspaceFolders = {
  domain: "packages/domain",
  protocol: "packages/protocol",
  store: "packages/store",
  carrier: "packages/carrier",
  "carrier-telnyx": "packages/carrier-telnyx",
  runtime: "packages/runtime",
  testkit: "packages/testkit",
  server: "apps/server",
  console: "apps/console",
  scripts: "scripts",
  e2e: "test",
}

const fixturePrefix = "(?:test/fixtures/boundaries/)?"

/**
 * Production code of each layer and the workspace packages it may import directly.
 * `scripts/`, `test/` and the packages' own test folders are not listed: they may import anything.
 * @type {Array<[string, Array<string>]>}
 */
const layers = [
  ["domain", []],
  ["protocol", ["domain"]],
  ["store", ["domain", "protocol"]],
  ["carrier", ["domain", "protocol"]],
  ["carrier-telnyx", ["carrier", "domain", "protocol"]],
  ["runtime", ["domain", "protocol", "store", "carrier", "carrier-telnyx"]],
  ["testkit", ["domain", "protocol", "store", "carrier", "carrier-telnyx", "runtime"]],
  ["server", ["domain", "protocol", "store", "carrier", "carrier-telnyx", "runtime", "testkit"]],
  ["console", ["protocol"]],
]

/** @param {Array<string>} names */
const anyOf = (names) => names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")

/** Matches a dependency on any of the named workspace packages, resolved or not. @param {Array<string>} names */
const workspaceTarget = (names) => [
  `^${fixturePrefix}(?:${anyOf(names.map((name) => workspaceFolders[name] ?? name))})/`,
  `^@ringmaster/(?:${anyOf(names)})(?:/|$)`,
]

const allWorkspacePackages = Object.keys(workspaceFolders)

/** @param {string} name */
const productionCode = (name) => `^${fixturePrefix}${workspaceFolders[name]}/src/`

const layerRules = layers.map(([name, allowed]) => ({
  name: `layer-${name}`,
  comment: `${workspaceFolders[name]}/src may import only these workspace packages: ${allowed.join(", ") || "none"}`,
  severity: "error",
  from: { path: productionCode(name) },
  to: {
    path: workspaceTarget(allWorkspacePackages),
    pathNot: workspaceTarget([name, ...allowed]),
  },
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "domain-npm-allowlist",
      comment:
        "packages/domain is pure and also reaches the browser through protocol: " +
        "among outside modules it may import only effect and libphonenumber-js (no node core modules either)",
      severity: "error",
      from: { path: productionCode("domain") },
      to: {
        dependencyTypesNot: ["local"],
        pathNot: [
          `^${fixturePrefix}packages/domain/`,
          "^[.]", // an unresolved relative import: reported once, by not-to-unresolvable
          ...workspaceTarget(allWorkspacePackages), // reported by layer-domain
          "(?:^|/)node_modules/(?:effect|libphonenumber-js)/",
          "^(?:effect|libphonenumber-js)(?:/|$)",
        ],
      },
    },
    {
      name: "production-not-to-tests-or-scripts",
      comment: "code under src/ must not import tests, test helpers or scripts",
      severity: "error",
      from: { path: `^${fixturePrefix}(?:packages|apps)/[^/]+/src/` },
      to: {
        path: [
          `^${fixturePrefix}(?:packages|apps)/[^/]+/test/`,
          `^${fixturePrefix}(?:scripts|test)/`,
          "[.](?:spec|test)[.][cm]?[jt]sx?$",
        ],
        pathNot: `^${fixturePrefix}(?:packages|apps)/[^/]+/src/`,
      },
    },
    {
      name: "no-circular",
      comment: "circular imports make load order fragile and blur which module owns what",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "an import that does not resolve: a typo, or a package missing from this package's package.json",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "no-non-package-json",
      comment: "an npm package used but not declared in the package.json of the importing package (or the root)",
      severity: "error",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "not-to-dev-dep",
      comment: "production code must not import a devDependency: it is not installed in production",
      severity: "error",
      from: { path: `^${fixturePrefix}(?:packages|apps)/[^/]+/src/` },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"], pathNot: ["node_modules/@types/"] },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules"] },
    exclude: { path: ["^test/fixtures/", "^(?:packages|apps)/[^/]+/dist/", "^[.]data/", "^coverage/"] },
    moduleSystems: ["es6", "cjs"],
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["types", "import", "require", "node", "default"],
      extensions: [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
}

/**
 * Builds the browser console (apps/console → apps/console/dist) when dist is missing or older than its sources.
 * `scripts/serve.sh` (`pnpm start`) runs it before the server; browser tests call `ensureConsoleBuilt()`.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"

const repoRoot = resolve(import.meta.dirname, "..")
const consoleDir = join(repoRoot, "apps/console")
const stampFile = join(consoleDir, "dist", ".built")

/** What the bundle is made of: the console's own sources and the packages it bundles. */
const inputs = [
  join(consoleDir, "src"),
  join(consoleDir, "console"),
  join(consoleDir, "supervisor"),
  join(consoleDir, "vite.config.ts"),
  join(consoleDir, "package.json"),
  join(repoRoot, "packages/protocol/src"),
  join(repoRoot, "packages/domain/src"),
]

const newestChange = (path: string): number => {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stat.mtimeMs)
}

export const consoleIsStale = (): boolean =>
  !existsSync(stampFile) || statSync(stampFile).mtimeMs < Math.max(...inputs.map(newestChange))

export const ensureConsoleBuilt = (options?: { readonly force?: boolean }): "built" | "fresh" => {
  if (options?.force !== true && !consoleIsStale()) return "fresh"
  const vite = join(consoleDir, "node_modules", ".bin", "vite")
  // NODE_ENV=test (vitest) or development would make Vite bundle the libraries' development builds
  const result = spawnSync(vite, ["build", "--logLevel", "warn"], {
    cwd: consoleDir,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  })
  if (result.status !== 0) {
    throw new Error(`building the console failed (vite exited with ${result.status ?? result.signal})`)
  }
  writeFileSync(stampFile, new Date().toISOString())
  return "built"
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const force = process.argv.includes("--force")
  if (!force && !consoleIsStale()) {
    console.log("console: dist is up to date")
  } else {
    console.log("console: building apps/console …")
    ensureConsoleBuilt({ force: true })
    console.log("console: built to apps/console/dist")
  }
}

import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const repoRoot = resolve(import.meta.dirname, "../../..")

export const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => ok(port))
    })
    server.on("error", fail)
  })

/** A Ringmaster server started as a separate process, as a user would start it. */
export interface ServerProcess {
  readonly baseUrl: string
  readonly output: () => string
  /** SIGTERM, then wait for the exit; resolves with the exit code. */
  readonly stop: () => Promise<number | null>
  /** SIGKILL, as a crash would: nothing is handed over. Resolves once the process is gone. */
  readonly kill: () => Promise<void>
  /** The exit code once the process has exited by itself (null while it runs, or after a signal). */
  readonly exitCode: () => number | null
}

/**
 * Starts the server. With the demo tenant, its calling hours are opened to the whole day (a supervisor setting)
 * unless `realCallingHours` is set, so that tests do not depend on the hour they run at.
 */
export const startServer = async (
  env: Record<string, string | undefined>,
  options?: {
    readonly realCallingHours?: boolean
    /** Start it the way `sh scripts/start.sh` and the Docker image do, through `sh scripts/serve.sh`. */
    readonly viaServeScript?: boolean
  },
): Promise<ServerProcess> => {
  const port = await freePort()
  const runnerPort = await freePort()
  let output = ""
  const childEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries({
    ...process.env,
    HTTP_PORT: String(port),
    RUNNER_PORT: String(runnerPort),
    ...env,
  })) {
    if (v !== undefined) childEnv[k] = v
  }
  // The node flags of `scripts/serve.sh`: a 64 MB young generation.
  const [command, args] =
    options?.viaServeScript === true
      ? ["sh", ["scripts/serve.sh"]]
      : [process.execPath, ["--max-semi-space-size=64", "--import", "tsx", "apps/server/src/main.ts"]]
  const child: ChildProcess = spawn(command, args, {
    cwd: repoRoot,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  })
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()))
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((ok) => child.once("exit", (code) => ok(code)))
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`)
    const ok = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    )
    if (ok && output.includes("Ringmaster is up")) break
    if (Date.now() > deadline) {
      child.kill("SIGKILL")
      throw new Error(`the server did not become healthy within 90 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  if (env["DEMO"] === "true" && options?.realCallingHours !== true) {
    const opened = await api(baseUrl, "demo-supervisor-token").patch("/settings", {
      callingHoursStart: 0,
      callingHoursEnd: 24,
    })
    if (opened.status !== 200) throw new Error(`could not open the demo tenant's calling hours: ${opened.status}`)
  }
  return {
    baseUrl,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
      await exited
    },
    exitCode: () => child.exitCode,
  }
}

/** A scratch directory for an embedded server's data. */
export const scratchDataDir = (): { readonly path: string; readonly remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), "ringmaster-e2e-"))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

export const api = (baseUrl: string, token: string) => {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return { status: response.status, body: text === "" ? null : (JSON.parse(text) as Record<string, unknown>) }
  }
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown) => call("POST", path, body),
    put: (path: string, body: unknown) => call("PUT", path, body),
    patch: (path: string, body: unknown) => call("PATCH", path, body),
  }
}

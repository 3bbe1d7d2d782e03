/**
 * `sh scripts/serve.sh` is what `sh scripts/start.sh` and the Docker image run: the shell replaces itself with the
 * server, so a SIGTERM sent to the process that was started (by a process manager, or `docker stop`) stops the
 * server gracefully instead of leaving it serving without a parent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { startServer } from "./support/server-process.js"

describe("the serve script", () => {
  let db: E2eDatabase

  beforeAll(async () => {
    db = await e2eDatabase()
  }, 60_000)

  afterAll(async () => {
    await db.dispose()
  })

  it("stops the server when the process it started gets a SIGTERM: exit 0, and its port answers no more", async () => {
    const server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "0" }, { viaServeScript: true })
    try {
      const code = await server.stop()
      expect(code).toBe(0)
      expect(server.output()).toContain("Ringmaster is up")
      const afterStop = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => `answered ${response.status}`,
        () => "no answer",
      )
      expect(afterStop).toBe("no answer")
    } finally {
      await server.kill()
    }
  }, 120_000)
})

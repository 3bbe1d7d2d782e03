/**
 * The server's log as an operator configures it: `LOG_FORMAT=json` writes one JSON line a record, and every HTTP
 * request gets one access line with its method, path and status; an invalid `LOG_LEVEL` stops the start with the
 * variable and the value.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { api, startServer } from "./support/server-process.js"

interface LogLine {
  readonly message: unknown
  readonly logLevel: string
  readonly annotations: Record<string, unknown>
}

const jsonLines = (output: string): Array<LogLine> =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine)

describe("the server's log", () => {
  let db: E2eDatabase

  beforeAll(async () => {
    db = await e2eDatabase()
  }, 60_000)

  afterAll(async () => {
    await db.dispose()
  })

  it("with LOG_FORMAT=json, writes one JSON line for each HTTP request, with its method, path and status", async () => {
    const server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "0", LOG_FORMAT: "json" })
    try {
      const supervisor = api(server.baseUrl, "demo-supervisor-token")
      expect((await supervisor.get("/campaigns")).status).toBe(200)
      expect((await supervisor.post("/leads", { name: "No Phone" })).status).toBe(400)
      expect((await fetch(`${server.baseUrl}/no-such-page`)).status).toBe(404)

      const access = (path: string) =>
        jsonLines(server.output())
          .filter((line) => line.annotations["http.url"] === path)
          .map((line) => [line.annotations["http.method"], line.annotations["http.status"]])
      await expect.poll(() => access("/campaigns")).toEqual([["GET", 200]])
      await expect.poll(() => access("/leads")).toEqual([["POST", 400]])
      await expect.poll(() => access("/no-such-page")).toEqual([["GET", 404]])
      // the start-up banner is text for the operator; every log record is a JSON line
      expect(server.output()).not.toMatch(/^\[\d\d:\d\d:\d\d/m)
      expect(jsonLines(server.output()).find((line) => line.message === "Sent HTTP response")?.logLevel).toBe("INFO")
    } finally {
      await server.stop()
    }
  }, 120_000)

  it("refuses to start with an invalid LOG_LEVEL, naming the variable and the value", async () => {
    const started = startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "0", LOG_LEVEL: "loud" })
    await expect(started).rejects.toThrow(/LOG_LEVEL\W+"loud" is not one of trace, debug, info, warning, error, none/)
  }, 120_000)
})

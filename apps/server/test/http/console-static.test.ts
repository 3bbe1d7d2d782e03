import { HttpLayerRouter } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { Layer } from "effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { consoleStaticRoutes } from "../../src/http/console-static.js"

const serve = (dist: string) =>
  HttpLayerRouter.toWebHandler(consoleStaticRoutes(dist).pipe(Layer.provide(NodeFileSystem.layer)), {
    disableLogger: true,
  })

describe("serving the built console", () => {
  const dist = mkdtempSync(join(tmpdir(), "console-dist-"))
  mkdirSync(join(dist, "console"))
  mkdirSync(join(dist, "supervisor"))
  mkdirSync(join(dist, "assets"))
  writeFileSync(join(dist, "console", "index.html"), "<title>agent page</title>")
  writeFileSync(join(dist, "supervisor", "index.html"), "<title>supervisor page</title>")
  writeFileSync(join(dist, "assets", "console-Ab12.js"), "console.log(1)")
  writeFileSync(join(dist, "secret.txt"), "not for the web")
  const { handler, dispose } = serve(dist)
  const get = (path: string) => handler(new Request(`http://localhost${path}`))

  afterAll(async () => {
    await dispose()
    rmSync(dist, { recursive: true, force: true })
  })

  it("serves the agent console at /console/ and the supervisor view at /supervisor/, revalidated on each load", async () => {
    for (const [path, title] of [
      ["/console/", "agent page"],
      ["/console", "agent page"],
      ["/supervisor/", "supervisor page"],
    ] as const) {
      const response = await get(path)
      expect(response.status).toBe(200)
      expect(response.headers.get("content-type")).toContain("text/html")
      expect(response.headers.get("cache-control")).toBe("no-cache")
      expect(await response.text()).toContain(title)
    }
  })

  it("serves hashed assets with their type, cached for good", async () => {
    const response = await get("/console/assets/console-Ab12.js")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/javascript")
    expect(response.headers.get("cache-control")).toContain("immutable")
    expect(await response.text()).toBe("console.log(1)")
  })

  it("answers 404 for unknown assets and for any path that tries to leave the assets folder", async () => {
    for (const path of [
      "/console/assets/nope.js",
      "/console/assets/..%2Fsecret.txt",
      "/console/assets/%2E%2E%2Fsecret.txt",
      "/console/assets/.hidden",
    ]) {
      const response = await get(path)
      expect(response.status, path).toBe(404)
      expect(await response.text()).not.toContain("not for the web")
    }
  })

  it("says how to build the console when it is not built", async () => {
    const empty = mkdtempSync(join(tmpdir(), "console-empty-"))
    const other = serve(empty)
    try {
      const response = await other.handler(new Request("http://localhost/console/"))
      expect(response.status).toBe(503)
      expect(await response.text()).toContain("pnpm --filter @ringmaster/console build")
    } finally {
      await other.dispose()
      rmSync(empty, { recursive: true, force: true })
    }
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { collectGarbage, inspectorUrl } from "../../bench/lib/inspector-gc.js"

describe("inspectorUrl", () => {
  it("finds the address node prints when started with --inspect", () => {
    const output =
      "Debugger listening on ws://127.0.0.1:43981/9aaaeaa8-c8b1-4e86-82bc-a482909e3a69\n" +
      "For help, see: https://nodejs.org/en/docs/inspector\nRingmaster is up at http://localhost:3000\n"
    expect(inspectorUrl(output)).toBe("ws://127.0.0.1:43981/9aaaeaa8-c8b1-4e86-82bc-a482909e3a69")
    expect(inspectorUrl("Ringmaster is up at http://localhost:3000\n")).toBeUndefined()
  })
})

describe("collectGarbage", () => {
  it.effect("collects the garbage of another node process through its inspector and reports its heap", () =>
    Effect.gen(function* () {
      // Keeps an array of a million small integers (8 MB) reachable, and waits.
      const script = "globalThis.kept = new Array(1e6).fill(1); setInterval(() => undefined, 1000)"
      const child = yield* Effect.acquireRelease(
        Effect.sync(() => spawn(process.execPath, ["--inspect=127.0.0.1:0", "-e", script], { stdio: "pipe" })),
        (c) => Effect.sync(() => c.kill("SIGKILL")),
      )
      const url = yield* Effect.promise(
        () =>
          new Promise<string>((resolve) => {
            let output = ""
            child.stderr.on("data", (d: Buffer) => {
              output += d.toString()
              const found = inspectorUrl(output)
              if (found !== undefined) resolve(found)
            })
          }),
      )
      const heap = yield* collectGarbage(url)
      expect(heap.usedSize).toBeGreaterThan(8_000_000)
      expect(heap.usedSize).toBeLessThanOrEqual(heap.totalSize)
    }).pipe(Effect.scoped),
  )

  it.effect("fails with a message naming the address when nothing listens there", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(collectGarbage("ws://127.0.0.1:9/nobody"))
      expect(error.message).toContain("ws://127.0.0.1:9/nobody")
    }),
  )
})

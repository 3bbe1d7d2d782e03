import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { shortcutFor, shortcuts } from "../../src/agent/shortcuts.js"

const runs = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 200) }
const press = fc.record({
  key: fc.oneof(fc.constantFrom(...shortcuts.map((s) => s.key), "a", "i", "h", "Enter", " ", "Tab"), fc.string()),
  ctrlKey: fc.boolean(),
  metaKey: fc.boolean(),
  altKey: fc.boolean(),
  typing: fc.boolean(),
})

describe("agent console shortcuts", () => {
  it("never act while the agent types in a field or holds Ctrl, Cmd or Alt", () => {
    fc.assert(
      fc.property(press, (p) => {
        if (p.typing || p.ctrlKey || p.metaKey || p.altKey) expect(shortcutFor(p)).toBeNull()
      }),
      runs,
    )
  })

  it("give each key of the legend its action, in either case, and nothing to other keys", () => {
    fc.assert(
      fc.property(press, (p) => {
        const plain = { ...p, ctrlKey: false, metaKey: false, altKey: false, typing: false }
        const entry = shortcuts.find((s) => s.key === (p.key.length === 1 ? p.key.toUpperCase() : p.key))
        expect(shortcutFor(plain)).toBe(entry?.action ?? null)
      }),
      runs,
    )
    const plain = { ctrlKey: false, metaKey: false, altKey: false, typing: false }
    expect(shortcutFor({ ...plain, key: "a" })).toBe("accept")
    expect(shortcutFor({ ...plain, key: "I" })).toBe("ignore")
    expect(shortcutFor({ ...plain, key: "h" })).toBe("hangup")
  })

  it("use each key once", () => {
    expect(new Set(shortcuts.map((s) => s.key)).size).toBe(shortcuts.length)
  })
})

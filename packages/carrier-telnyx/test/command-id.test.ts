import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { commandIdFor } from "../src/index.js"
import type { TelnyxAction } from "../src/index.js"

const action = FastCheck.constantFrom<TelnyxAction>("answer", "bridge", "transfer", "hangup", "cancel")
const command = FastCheck.record({
  action,
  carrierCallId: FastCheck.string({ minLength: 1, maxLength: 200 }),
  other: FastCheck.option(FastCheck.string({ maxLength: 200 }), { nil: undefined }),
})

describe("commandIdFor", () => {
  it.prop("the same command always gets the same UUID-shaped id", { command }, ({ command }) => {
    const id = commandIdFor(command.action, command.carrierCallId, command.other)
    expect(commandIdFor(command.action, command.carrierCallId, command.other)).toBe(id)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  })

  it.prop("different commands get different ids", { a: command, b: command }, ({ a, b }) => {
    FastCheck.pre(a.action !== b.action || a.carrierCallId !== b.carrierCallId || a.other !== b.other)
    expect(commandIdFor(a.action, a.carrierCallId, a.other)).not.toBe(commandIdFor(b.action, b.carrierCallId, b.other))
  })

  it("hangup and cancel of one leg are distinct commands, and ids cannot be confused across the parts", () => {
    expect(commandIdFor("hangup", "v3:a")).not.toBe(commandIdFor("cancel", "v3:a"))
    expect(commandIdFor("bridge", "v3:a", "b")).not.toBe(commandIdFor("bridge", "v3:ab"))
    expect(commandIdFor("bridge", "v3:a", "")).not.toBe(commandIdFor("bridge", "v3:a"))
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { demoLeadPhone, MAX_DEMO_LEADS } from "../src/demo-seed.js"

describe("demo leads' phone numbers", () => {
  it("are valid and all different, for as many demo leads as a tenant may have", () => {
    const phones = new Set<string>()
    for (let i = 0; i < MAX_DEMO_LEADS; i++) {
      const phone = demoLeadPhone(i)
      if (Either.isLeft(phone)) throw new Error(`demo lead ${i}: ${phone.left.message}`)
      phones.add(phone.right)
    }
    expect(phones.size).toBe(MAX_DEMO_LEADS)
  })
})

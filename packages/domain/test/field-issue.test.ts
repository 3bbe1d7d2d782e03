import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { fieldPath, firstFieldIssue, renderValue } from "../src/field-issue.js"
import { runs } from "./property-runs.js"

describe("fieldPath", () => {
  it("writes object keys with dots and array indexes in brackets", () => {
    expect(fieldPath(["leads", 3, "phones", 0], "input")).toBe("leads[3].phones[0]")
    expect(fieldPath([], "input")).toBe("input")
  })

  it.prop(
    "names every key of the path in order",
    [fc.array(fc.oneof(fc.nat(99), fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/)), { minLength: 1, maxLength: 6 })],
    ([path]) => {
      const text = fieldPath(path, "root")
      const parts = text.split(/\.|\[|\]/).filter((p) => p !== "")
      expect(parts).toEqual(path.map(String))
    },
    runs(),
  )
})

describe("firstFieldIssue", () => {
  const Shape = Schema.Struct({ items: Schema.Array(Schema.Struct({ n: Schema.Int })) })

  it("locates the failing value inside the input", () => {
    const input = { items: [{ n: 1 }, { n: 2.5 }] }
    const error = Either.getOrThrow(Either.flip(Schema.decodeUnknownEither(Shape)(input)))
    const issue = firstFieldIssue(error, input, "body")
    expect([issue.field, issue.value]).toEqual(["items[1].n", "2.5"])
    expect(issue.message).toContain("items[1].n")
  })

  it("renders values as text", () => {
    expect([renderValue("abc"), renderValue(undefined), renderValue(null), renderValue([1, "x"])]).toEqual([
      "abc",
      "undefined",
      "null",
      '[1,"x"]',
    ])
  })
})

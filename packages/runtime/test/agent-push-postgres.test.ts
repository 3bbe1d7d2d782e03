import { describe, expect, it } from "@effect/vitest"
import type { ServerMessage } from "@ringmaster/protocol"
import { Database } from "@ringmaster/store"
import { testDatabaseUrl } from "@ringmaster/testkit"
import { Context, Effect, FastCheck as fc, Layer, Option, Queue } from "effect"
import { AgentPushPostgres, packPayloads, payloadFromElsewhere } from "../src/agent-push-postgres.js"
import { AgentPush } from "../src/agent-push.js"

const itemArb = fc.string({ maxLength: 120 }).map((text) => JSON.stringify({ channel: "agent", text }))

describe("packPayloads", () => {
  it.prop(
    "packs items into JSON arrays within the size limit, keeping every item once and in order",
    [fc.array(itemArb, { maxLength: 300 }), fc.integer({ min: 300, max: 8_000 })],
    ([items, maxBytes]) => {
      const payloads = packPayloads(items, maxBytes)
      for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(maxBytes)
      const unpacked = payloads.flatMap((p) => (JSON.parse(p) as Array<unknown>).map((x) => JSON.stringify(x)))
      expect(unpacked).toEqual(items)
      if (items.length === 0) expect(payloads).toEqual([])
    },
  )

  it("sends a burst of small messages in one payload", () => {
    const items = Array.from({ length: 50 }, (_, i) => JSON.stringify({ channel: `agent-${i}`, n: i }))
    expect(packPayloads(items, 7_500)).toHaveLength(1)
  })
})

describe("payloadFromElsewhere", () => {
  it.prop(
    "skips this runner's own payloads and strips another runner's id",
    [fc.uuid(), fc.uuid(), fc.string({ maxLength: 200 })],
    ([self, other, payload]) => {
      expect(payloadFromElsewhere(self + payload, self)).toBeUndefined()
      if (other !== self) expect(payloadFromElsewhere(other + payload, self)).toBe(payload)
    },
  )
})

const alert = (message: string): ServerMessage => ({ _tag: "Alert", kind: "test", message, at: 1 })

const runner = (url: string) =>
  Effect.map(
    Layer.build(
      AgentPushPostgres.pipe(Layer.provide(Database.layerPostgres({ url: new URL(url), maxConnections: 2 }))),
    ),
    (context) => Context.get(context, AgentPush),
  )

/** Publishes on `from` until `to` has heard it: both runners are then LISTENing. */
const untilHeard = (from: AgentPush["Type"], to: AgentPush["Type"], channel: string) =>
  Effect.gen(function* () {
    const heard = yield* to.subscribe(channel)
    yield* from
      .publish(channel, alert("ready"))
      .pipe(
        Effect.zipRight(Effect.sleep("100 millis")),
        Effect.repeat({ until: () => Effect.runSync(Queue.size(heard)) > 0 }),
        Effect.timeout("10 seconds"),
      )
  })

describe.skipIf((process.env["DATABASE_URL"] ?? "").trim() === "")("AgentPushPostgres on PostgreSQL", () => {
  it.scopedLive(
    "hands a runner's own messages to its consoles at once and exactly once, and another runner's through NOTIFY",
    () =>
      Effect.gen(function* () {
        const database = yield* Effect.acquireRelease(testDatabaseUrl(), (scratch) => scratch.drop)
        const a = yield* runner(database.url)
        const b = yield* runner(database.url)
        yield* untilHeard(a, b, "ready-a")
        yield* untilHeard(b, a, "ready-b")

        const onA = yield* a.subscribe("agent-1")
        const onB = yield* b.subscribe("agent-1")
        yield* a.publish("agent-1", alert("from a"))
        expect(yield* Queue.poll(onA)).toEqual(Option.some(alert("from a")))
        yield* b.publish("agent-1", alert("from b"))

        expect(yield* Queue.take(onA).pipe(Effect.timeout("10 seconds"))).toEqual(alert("from b"))
        expect(yield* Queue.take(onB).pipe(Effect.timeout("10 seconds"))).toEqual(alert("from b"))
        expect(yield* Queue.take(onB).pipe(Effect.timeout("10 seconds"))).toEqual(alert("from a"))
        yield* Effect.sleep("500 millis")
        expect([yield* Queue.size(onA), yield* Queue.size(onB)]).toEqual([0, 0])
      }),
    { timeout: 60_000 },
  )
})

import { Runner, RunnerAddress, RunnerStorage, ShardingConfig } from "@effect/cluster"
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { ServerMessage } from "@ringmaster/protocol"
import { Database } from "@ringmaster/store"
import { cutListeningConnections, testDatabaseUrl } from "@ringmaster/testkit"
import { Context, Effect, FastCheck as fc, Layer, Option, Queue, Schema, Stream } from "effect"
import { AgentPushPostgres, packPayloads, senderItem, sentBy } from "../src/agent-push-postgres.js"
import { AgentPush } from "../src/agent-push.js"
import { defaultPeerTimings, type PeerTimings, RunnerPeers } from "../src/runner-peers.js"

const itemArb = fc.string({ maxLength: 120 }).map((text) => JSON.stringify({ channel: "agent", text }))

/** The payloads of runners of versions before the sender item: what such a runner can still read. */
const EarlierPayload = Schema.parseJson(
  Schema.Array(
    Schema.Union(
      Schema.Struct({ channel: Schema.String, message: ServerMessage }),
      Schema.Struct({ ref: Schema.Number }),
    ),
  ),
)

describe("packPayloads", () => {
  it.prop(
    "packs items into JSON arrays within the size limit, each led by the sender, keeping every item once and in order",
    [fc.array(itemArb, { maxLength: 300 }), fc.integer({ min: 400, max: 8_000 }), fc.uuid()],
    ([items, maxBytes, runnerId]) => {
      const sender = senderItem(runnerId)
      const payloads = packPayloads(items, maxBytes, sender)
      for (const p of payloads) {
        expect(Buffer.byteLength(p)).toBeLessThanOrEqual(maxBytes)
        expect(sentBy(p, sender)).toBe(true)
      }
      const unpacked = payloads.flatMap((p) => (JSON.parse(p) as Array<unknown>).slice(1).map((x) => JSON.stringify(x)))
      expect(unpacked).toEqual(items)
      if (items.length === 0) expect(payloads).toEqual([])
    },
  )

  it("sends a burst of small messages in one payload", () => {
    const items = Array.from({ length: 50 }, (_, i) => JSON.stringify({ channel: `agent-${i}`, n: i }))
    expect(packPayloads(items, 7_500, senderItem(crypto.randomUUID()))).toHaveLength(1)
  })
})

describe("the sender item", () => {
  it.prop(
    "tells a runner its own payloads from another runner's and from a runner's of an earlier version",
    [fc.uuid(), fc.uuid(), fc.array(itemArb, { minLength: 1, maxLength: 5 })],
    ([self, other, items]) => {
      const own = senderItem(self)
      expect(packPayloads(items, 7_500, own).every((p) => sentBy(p, own))).toBe(true)
      if (other !== self) expect(packPayloads(items, 7_500, senderItem(other)).some((p) => sentBy(p, own))).toBe(false)
      expect(sentBy(`[${items.join(",")}]`, own)).toBe(false)
    },
  )

  it("is read by a runner of an earlier version as a message no longer stored, before the messages themselves", () => {
    const messages = [alert("one"), alert("two")]
    const items = messages.map((message) => JSON.stringify({ channel: "agent-1", message }))
    const [payload] = packPayloads(items, 7_500, senderItem(crypto.randomUUID()))
    expect(Schema.decodeUnknownSync(EarlierPayload)(payload)).toEqual([
      { ref: 0 },
      ...messages.map((message) => ({ channel: "agent-1", message })),
    ])
  })
})

const alert = (message: string): ServerMessage => ({ _tag: "Alert", kind: "test", message, at: 1 })

const addressOf = (n: number) => RunnerAddress.make(`runner-${n}`, 34_430 + n)
const register = (storage: RunnerStorage.RunnerStorage["Type"], n: number) =>
  storage.register(Runner.make({ address: addressOf(n), groups: ["default"], weight: 1 }), true)

/** Runner `n` of the cluster whose registrations `storage` holds (the cluster's in-memory runner storage). */
const runner = (
  url: string,
  storage: RunnerStorage.RunnerStorage["Type"],
  n: number,
  timings: PeerTimings = defaultPeerTimings,
) =>
  Effect.map(
    Layer.build(
      AgentPushPostgres.pipe(
        Layer.provide(
          RunnerPeers.layerWith(timings).pipe(
            Layer.provide(ShardingConfig.layer({ runnerAddress: Option.some(addressOf(n)) })),
            Layer.provide(Layer.succeed(RunnerStorage.RunnerStorage, storage)),
          ),
        ),
        Layer.provide(Database.layerPostgres({ url: new URL(url), maxConnections: 2 })),
      ),
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

/** A scratch database, runners 1 and 2 registered, and runner 1 on it (runner 2 is for the test to start, or not). */
const runnerOneOfTwo = Effect.gen(function* () {
  const database = yield* Effect.acquireRelease(testDatabaseUrl(), (scratch) => scratch.drop)
  const storage = yield* RunnerStorage.makeMemory
  yield* register(storage, 1)
  yield* register(storage, 2)
  const a = yield* runner(database.url, storage, 1)
  return { database, storage, a }
})

/** Two runners on a scratch database, each hearing the other. */
const twoListeningRunners = Effect.gen(function* () {
  const { database, storage, a } = yield* runnerOneOfTwo
  const b = yield* runner(database.url, storage, 2)
  yield* untilHeard(a, b, "ready-a")
  yield* untilHeard(b, a, "ready-b")
  return { a, b, database }
})

/** The channel of console messages, the same in every version. */
const earlierChannel = "ringmaster_push"

describe.skipIf((process.env["DATABASE_URL"] ?? "").trim() === "")("AgentPushPostgres on PostgreSQL", () => {
  it.scopedLive(
    "hands a runner's own messages to its consoles at once and exactly once, and another runner's through NOTIFY",
    () =>
      Effect.gen(function* () {
        const { a, b } = yield* twoListeningRunners

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

  it.scopedLive(
    "serves consoles together with a runner of an earlier version, both ways (a rolling upgrade)",
    () =>
      Effect.gen(function* () {
        // The runner of the earlier version (2) is registered in the cluster as any runner is.
        const { database, a } = yield* runnerOneOfTwo
        const pg = Context.get(
          yield* Layer.build(Database.layerPostgres({ url: new URL(database.url), maxConnections: 2 })),
          PgClient.PgClient,
        )
        // The earlier runner: it reads every payload on the channel with its own schema.
        const earlier = yield* Queue.unbounded<unknown>()
        yield* pg.listen(earlierChannel).pipe(
          Stream.runForEach((raw) =>
            Effect.flatMap(Schema.decodeUnknown(EarlierPayload)(raw), (items) => Queue.offerAll(earlier, items)),
          ),
          Effect.forkScoped,
        )
        yield* a
          .publish("ready", alert("ready"))
          .pipe(
            Effect.zipRight(Effect.sleep("100 millis")),
            Effect.repeat({ until: () => Effect.runSync(Queue.size(earlier)) > 0 }),
            Effect.timeout("10 seconds"),
          )
        yield* Effect.sleep("300 millis")
        yield* Queue.takeAll(earlier)

        yield* a.publish("agent-1", alert("from a"))
        const heard = [yield* Queue.take(earlier), yield* Queue.take(earlier)]
        expect(heard).toEqual([{ ref: 0 }, { channel: "agent-1", message: alert("from a") }])

        const onA = yield* a.subscribe("agent-1")
        const payload = JSON.stringify([{ channel: "agent-1", message: alert("from the earlier runner") }])
        yield* pg`SELECT pg_notify(${earlierChannel}, ${payload})`
        expect(yield* Queue.take(onA).pipe(Effect.timeout("10 seconds"))).toEqual(alert("from the earlier runner"))
      }),
    { timeout: 60_000 },
  )

  it.scopedLive(
    "hears the other runners again after its listening connection was cut, and signals the gap to its consoles",
    () =>
      Effect.gen(function* () {
        const { a, b, database } = yield* twoListeningRunners
        const gapsOnA = yield* a.gaps
        const cut = yield* cutListeningConnections.pipe(
          Effect.provide(Database.layerPostgres({ url: new URL(database.url), maxConnections: 1 })),
        )
        expect(cut).toBe(2)
        // The gap is signalled once A listens again: what B publishes from then on reaches A the first time.
        yield* Queue.take(gapsOnA).pipe(Effect.timeout("10 seconds"))
        const onA = yield* a.subscribe("agent-2")
        yield* b.publish("agent-2", alert("after the gap"))
        expect(yield* Queue.take(onA).pipe(Effect.timeout("10 seconds"))).toEqual(alert("after the gap"))
        yield* untilHeard(a, b, "again-a")
        yield* untilHeard(b, a, "again-b")
        expect(yield* Queue.size(gapsOnA)).toBe(0)
      }),
    { timeout: 60_000 },
  )

  it.scopedLive(
    "signals a gap to its consoles when another runner goes away: its last messages may have gone with it",
    () =>
      Effect.gen(function* () {
        const { storage, a } = yield* runnerOneOfTwo
        const gapsOnA = yield* a.gaps
        // Its first LISTEN is a gap too; after it, nothing while both runners stay.
        yield* Effect.sleep("3 seconds")
        yield* Queue.takeAll(gapsOnA)
        yield* Effect.sleep("2 seconds")
        expect(yield* Queue.size(gapsOnA)).toBe(0)
        // Runner 2 stops refreshing its registration (killed, or cut off from PostgreSQL).
        yield* storage.unregister(addressOf(2))
        yield* Queue.take(gapsOnA).pipe(Effect.timeout("5 seconds"))
      }),
    { timeout: 60_000 },
  )

  it.scopedLive(
    "sends nothing through PostgreSQL while it is the only runner, and sends again once another registers",
    () =>
      Effect.gen(function* () {
        const database = yield* Effect.acquireRelease(testDatabaseUrl(), (scratch) => scratch.drop)
        const storage = yield* RunnerStorage.makeMemory
        yield* register(storage, 1)
        const quick: PeerTimings = { lookEveryMs: 50, lookValidMs: 200, memoryMs: 600, stallMs: 400, seenDelayMs: 300 }
        const a = yield* runner(database.url, storage, 1, quick)
        const pg = Context.get(
          yield* Layer.build(Database.layerPostgres({ url: new URL(database.url), maxConnections: 2 })),
          PgClient.PgClient,
        )
        // What goes through PostgreSQL, as another runner would hear it.
        const heard = yield* Queue.unbounded<string>()
        yield* pg.listen(earlierChannel).pipe(
          Stream.runForEach((raw) => Queue.offer(heard, raw)),
          Effect.forkScoped,
        )
        yield* a.ready.pipe(Effect.timeout("5 seconds"))
        yield* a
          .publish("ready", alert("ready"))
          .pipe(
            Effect.zipRight(Effect.sleep("100 millis")),
            Effect.repeat({ until: () => Effect.runSync(Queue.size(heard)) > 0 }),
            Effect.timeout("10 seconds"),
          )

        // Alone for a while: its consoles still get every message, and nothing goes through PostgreSQL.
        yield* Effect.sleep("1 second")
        yield* Queue.takeAll(heard)
        const onA = yield* a.subscribe("agent-1")
        yield* a.publish("agent-1", alert("alone"))
        expect(yield* Queue.poll(onA)).toEqual(Option.some(alert("alone")))
        yield* Effect.sleep("500 millis")
        expect(yield* Queue.size(heard)).toBe(0)

        // Another runner registers: within a look, messages go through PostgreSQL again.
        yield* register(storage, 2)
        yield* Effect.sleep(`${quick.lookEveryMs * 3} millis`)
        yield* a.publish("agent-1", alert("not alone"))
        expect(yield* Queue.poll(onA)).toEqual(Option.some(alert("not alone")))
        const raw = yield* Queue.take(heard).pipe(Effect.timeout("5 seconds"))
        expect(raw).toContain("not alone")
      }),
    { timeout: 60_000 },
  )
})

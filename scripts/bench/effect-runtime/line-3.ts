/**
 * The `effect-runtime` workloads written against the Effect 3 line Ringmaster runs on (effect 3.22, @effect/cluster
 * 0.60 with its patch, @effect/rpc 0.76). `line-4.ts` writes the same workloads against Effect 4; keep the two alike.
 * Prints its results as one JSON line (`measure.ts`).
 */
import { Entity, MessageStorage, RunnerHealth, Runners, RunnerStorage, Sharding, ShardingConfig } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Effect, Fiber, Layer, ManagedRuntime, Queue, Schema } from "effect"
import { measure, report, workerArgs } from "./measure.js"

const fourSteps = Effect.gen(function* () {
  const a = yield* Effect.succeed(1)
  const b = yield* Effect.sync(() => a + 1)
  const c = yield* Effect.map(Effect.succeed(b), (x) => x * 2)
  const d = yield* Effect.flatMap(Effect.succeed(c), (x) => Effect.succeed(x + 1))
  return a + b + c + d
})

const AgentRow = Schema.Struct({
  id: Schema.String,
  tenantId: Schema.String,
  name: Schema.String,
  state: Schema.Literal("Offline", "Online", "Busy", "Break", "OnCall", "WrapUp"),
  stateSince: Schema.Number,
  pendingOffer: Schema.NullOr(Schema.String),
  currentCallId: Schema.NullOr(Schema.String),
  attempts: Schema.Number,
})
const decodeAgentRow = Schema.decodeUnknownSync(AgentRow)
const agentRow = {
  id: "agent-1",
  tenantId: "demo",
  name: "Ada Lovelace",
  state: "Online",
  stateSince: 1_796_670_910_276,
  pendingOffer: null,
  currentCallId: "call-1",
  attempts: 3,
}

const Ping = Rpc.make("Ping", { payload: { n: Schema.Number }, success: Schema.Number })
const Pinger = Entity.make("Pinger", [Ping])
const PingerLive = Pinger.toLayer(Effect.succeed({ Ping: (request) => Effect.succeed(request.payload.n + 1) }))
// The in-memory cluster of @effect/cluster's TestRunner, handing messages over without encoding them, as the server does.
const ClusterLive = Sharding.layer.pipe(
  Layer.provideMerge(Runners.layerNoop),
  Layer.provideMerge(MessageStorage.layerMemory),
  Layer.provide([RunnerStorage.layerMemory, RunnerHealth.layerNoop]),
  Layer.provide(ShardingConfig.layer({ simulateRemoteSerialization: false })),
)

const pings = (operations: number, senders: number) =>
  Effect.gen(function* () {
    const client = yield* Pinger.client
    yield* Effect.forEach(
      Array.from({ length: senders }, (_, sender) => sender),
      (sender) =>
        Effect.gen(function* () {
          for (let i = 0; i < operations / senders; i++) yield* client(`pinger-${(sender + i) % 50}`).Ping({ n: i })
        }),
      { concurrency: "unbounded", discard: true },
    )
  })

const runtime = ManagedRuntime.make(PingerLive.pipe(Layer.provideMerge(ClusterLive)))
const run = <A, E>(effect: Effect.Effect<A, E, Sharding.Sharding>) => runtime.runPromise(Effect.asVoid(effect))

const main = async () => {
  const { rounds, scale } = workerArgs(process.argv.slice(2))
  const results = await measure(
    [
      {
        name: "generator_steps",
        operations: Math.round(200_000 * scale),
        run: (n) =>
          run(
            Effect.gen(function* () {
              for (let i = 0; i < n; i++) yield* fourSteps
            }),
          ),
      },
      {
        name: "fiber_handoff",
        operations: Math.round(100_000 * scale),
        run: (n) =>
          run(
            Effect.scoped(
              Effect.gen(function* () {
                const asks = yield* Queue.unbounded<number>()
                const answers = yield* Queue.unbounded<number>()
                yield* Effect.forkScoped(
                  Effect.forever(Effect.flatMap(Queue.take(asks), (x) => Queue.offer(answers, x + 1))),
                )
                for (let i = 0; i < n; i++) {
                  yield* Queue.offer(asks, i)
                  yield* Queue.take(answers)
                }
              }),
            ),
          ),
      },
      {
        name: "fork_join",
        operations: Math.round(100_000 * scale),
        run: (n) =>
          run(
            Effect.gen(function* () {
              for (let i = 0; i < n / 10; i++) {
                const fibers: Array<Fiber.RuntimeFiber<number>> = []
                for (let j = 0; j < 10; j++) fibers.push(yield* Effect.fork(fourSteps))
                for (const fiber of fibers) yield* Fiber.join(fiber)
              }
            }),
          ),
      },
      {
        name: "schema_decode",
        operations: Math.round(200_000 * scale),
        run: (n) =>
          run(
            Effect.sync(() => {
              for (let i = 0; i < n; i++) decodeAgentRow(agentRow)
            }),
          ),
      },
      { name: "entity_message", operations: Math.round(20_000 * scale), run: (n) => run(pings(n, 1)) },
      { name: "entity_message_50_senders", operations: Math.round(20_000 * scale), run: (n) => run(pings(n, 50)) },
    ],
    rounds,
  )
  report(results)
  await runtime.dispose()
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)

import { Console, Duration, Effect } from "effect"
const never = new Promise<void>(() => undefined)
const variant = (name: string, f: (e: Effect.Effect<void>) => Effect.Effect<unknown>) =>
  Effect.gen(function* () {
    const t = Date.now()
    yield* Effect.void.pipe(Effect.ensuring(f(Effect.promise(() => never)).pipe(Effect.ignore)))
    yield* Console.log(`${name}: ${Date.now() - t} ms`)
  })
const keepAlive = setInterval(() => undefined, 1000)
Effect.runPromise(
  Effect.gen(function* () {
    yield* variant("interruptible+timeout", (e) => e.pipe(Effect.interruptible, Effect.timeout(Duration.millis(300))))
    yield* variant("disconnect+timeout", (e) => e.pipe(Effect.disconnect, Effect.timeout(Duration.millis(300)))).pipe(
      Effect.timeout(Duration.seconds(3)),
      Effect.catchAll(() => Console.log("disconnect+timeout: still hanging after 3 s")),
    )
  }),
).finally(() => clearInterval(keepAlive))

/**
 * A process asked to stop waits for its entities' handlers to finish, but not for ever: a handler stuck on a send
 * to an entity that has already stopped (seen in the distributor bench: a Call entity handing a carrier event to
 * an Agent entity that had stopped first) held the single runner's shutdown for the cluster's default 15 s, past
 * the 10 s a SIGTERM gives.
 */
import { Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { expect, layer } from "@effect/vitest"
import { TestDatabase } from "@ringmaster/testkit"
import { Deferred, Effect, Exit, Layer, Scope } from "effect"
import { singleRunnerCluster } from "../src/cluster.js"

const Stuck = Entity.make("StuckHandler", [Rpc.make("Hold")])

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "1 minute" })("the single runner", (it) => {
  it.effect("stops within 10 s although a handler never finishes", () =>
    Effect.gen(function* () {
      const holding = yield* Deferred.make<void>()
      const StuckLive = Stuck.toLayer(
        Effect.succeed({ Hold: () => Deferred.succeed(holding, undefined).pipe(Effect.zipRight(Effect.never)) }),
      )
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(StuckLive.pipe(Layer.provideMerge(singleRunnerCluster)), scope)
      const stuck = yield* Stuck.client.pipe(Effect.provide(context))
      yield* stuck("held-1").Hold(undefined, { discard: true })
      yield* Deferred.await(holding)

      const startedAt = Date.now()
      yield* Scope.close(scope, Exit.void)
      const tookMs = Date.now() - startedAt
      expect(tookMs).toBeLessThan(10_000)
    }),
  )
})

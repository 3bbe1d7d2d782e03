/**
 * Connections to a runner the cluster marks unhealthy are closed once, so that requests on them are sent again
 * elsewhere instead of waiting for the RPC client's 10 s ping; connections opened after that (the health check's
 * pings) are left alone, and a runner that is healthy again and then marked again has its new ones closed.
 */
import { Runner, RunnerAddress, RunnerStorage, Runners } from "@effect/cluster"
import { RpcSerialization } from "@effect/rpc"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, TestClock } from "effect"
import * as Net from "node:net"
import { closeLinksToUnhealthyRunners, linkedClientProtocol, RunnerLinks } from "../src/runner-links.js"

/** A runner storage holding `runners` (address and health), which the test changes as it goes. */
const storageOf = (runners: Array<{ address: RunnerAddress.RunnerAddress; healthy: boolean }>) =>
  Layer.succeed(
    RunnerStorage.RunnerStorage,
    RunnerStorage.RunnerStorage.of({
      getRunners: Effect.sync(() =>
        runners.map((r) => [Runner.make({ address: r.address, groups: ["default"], weight: 1 }), r.healthy] as const),
      ),
      register: () => Effect.dieMessage("not used"),
      unregister: () => Effect.void,
      setRunnerHealth: () => Effect.void,
      acquire: () => Effect.succeed([]),
      refresh: () => Effect.succeed([]),
      release: () => Effect.void,
      releaseAll: () => Effect.void,
    }),
  )

describe("closeLinksToUnhealthyRunners", () => {
  it.scoped("closes the connections to a runner once, when the cluster marks it unhealthy, and again next time", () =>
    Effect.gen(function* () {
      const a = RunnerAddress.make("10.0.0.1", 34431)
      const b = RunnerAddress.make("10.0.0.2", 34431)
      const runners = [
        { address: a, healthy: true },
        { address: b, healthy: true },
      ]
      const closed: Array<string> = []
      const links = Layer.succeed(
        RunnerLinks,
        RunnerLinks.of({
          closeTo: (address) => {
            closed.push(address.host)
            return 1
          },
        }),
      )
      yield* Layer.build(closeLinksToUnhealthyRunners.pipe(Layer.provide(Layer.merge(storageOf(runners), links))))
      const second = () => TestClock.adjust(Duration.seconds(1))
      yield* second()
      expect(closed).toEqual([])
      runners[1] = { address: b, healthy: false }
      yield* second()
      yield* second()
      yield* second()
      expect(closed).toEqual(["10.0.0.2"])
      runners[1] = { address: b, healthy: true }
      yield* second()
      runners[1] = { address: b, healthy: false }
      yield* second()
      expect(closed).toEqual(["10.0.0.2", "10.0.0.2"])
    }),
  )
})

describe("linkedClientProtocol", () => {
  it.scopedLive("closes every open connection to a runner on request, and only those", () =>
    Effect.gen(function* () {
      const accepted: Array<Net.Socket> = []
      const server = Net.createServer((s) => accepted.push(s))
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => {
          server.listen(0, "127.0.0.1", () => resume(Effect.void))
        }),
        () => Effect.sync(() => server.close()),
      )
      const port = (server.address() as Net.AddressInfo).port
      const address = RunnerAddress.make("127.0.0.1", port)
      const context = yield* Layer.build(linkedClientProtocol.pipe(Layer.provide(RpcSerialization.layerMsgPack)))
      const makeProtocol = yield* Effect.provide(Runners.RpcClientProtocol, context)
      yield* makeProtocol(address)
      yield* makeProtocol(address)
      yield* Effect.sleep(Duration.millis(200))
      expect(accepted).toHaveLength(2)
      const links = yield* Effect.provide(RunnerLinks, context)
      expect(links.closeTo(RunnerAddress.make("127.0.0.1", port + 1))).toBe(0)
      expect(links.closeTo(address)).toBe(2)
      yield* Effect.sleep(Duration.millis(200))
      expect(accepted.slice(0, 2).every((s) => s.closed || s.readableEnded)).toBe(true)
    }),
  )
})

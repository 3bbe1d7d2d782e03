import { type RunnerAddress, Runners, RunnerStorage } from "@effect/cluster"
import { NodeSocket } from "@effect/platform-node"
import { Socket } from "@effect/platform"
import { RpcClient, RpcSerialization } from "@effect/rpc"
import { Context, Duration, Effect, Layer, PrimaryKey, Schedule } from "effect"
import * as Net from "node:net"

/**
 * The connections this runner opened to other runners' cluster ports. A request already on its way to a runner that
 * went silent (a partition that drops packets: nothing refuses, nothing answers) waits until the RPC client's own
 * ping, sent every 10 s, gives the connection up: 10 to 20 s. `closeTo` ends them at once, so the requests on them
 * fail and the cluster sends them again, to wherever the shard is now.
 */
export class RunnerLinks extends Context.Tag("@ringmaster/runtime/RunnerLinks")<
  RunnerLinks,
  {
    /** Closes every open connection to the runner at `address`; how many there were. */
    readonly closeTo: (address: RunnerAddress.RunnerAddress) => number
  }
>() {}

const keyOf = (address: RunnerAddress.RunnerAddress) => PrimaryKey.value(address)

/**
 * The cluster's client protocol over TCP, as `NodeClusterSocket.layerClientProtocol` (1 s to connect), keeping each
 * connection in `RunnerLinks` while it is open.
 */
export const linkedClientProtocol: Layer.Layer<
  Runners.RpcClientProtocol | RunnerLinks,
  never,
  RpcSerialization.RpcSerialization
> = Layer.effectContext(
  Effect.gen(function* () {
    const serialization = yield* RpcSerialization.RpcSerialization
    const open = new Map<string, Set<Net.Socket>>()
    const keep = (key: string, conn: Net.Socket) => {
      const set = open.get(key) ?? new Set<Net.Socket>()
      open.set(key, set)
      set.add(conn)
      conn.once("close", () => {
        set.delete(conn)
        if (set.size === 0 && open.get(key) === set) open.delete(key)
      })
    }
    const connect = (address: RunnerAddress.RunnerAddress) =>
      Effect.acquireRelease(
        Effect.async<Net.Socket, Socket.SocketError>((resume) => {
          const conn = Net.createConnection({ host: address.host, port: address.port })
          keep(keyOf(address), conn)
          conn.once("connect", () => resume(Effect.succeed(conn)))
          conn.once("error", (cause) => resume(Effect.fail(new Socket.SocketGenericError({ reason: "Open", cause }))))
        }),
        (conn) => Effect.sync(() => conn.destroy()),
      )
    const protocol: Runners.RpcClientProtocol["Type"] = (address) =>
      Effect.gen(function* () {
        const socket = yield* NodeSocket.fromDuplex(connect(address), { openTimeout: Duration.seconds(1) })
        return yield* RpcClient.makeProtocolSocket().pipe(
          Effect.provideService(Socket.Socket, socket),
          Effect.provideService(RpcSerialization.RpcSerialization, serialization),
        )
      })
    const links = RunnerLinks.of({
      closeTo: (address) => {
        const set = open.get(keyOf(address))
        if (set === undefined) return 0
        const n = set.size
        for (const conn of Array.from(set)) conn.destroy()
        return n
      },
    })
    return Context.make(Runners.RpcClientProtocol, protocol).pipe(Context.add(RunnerLinks, links))
  }),
)

/**
 * Every second, looks for runners the cluster's storage has newly marked unhealthy (the health check could not ping
 * them, `runner-health.ts`) and closes this runner's connections to them, once: their shards go elsewhere, and the
 * requests on those connections are sent there. Connections opened afterwards (the health check's pings, which
 * find the runner again when it is back) are left alone. A runner that left in order is unregistered, not marked,
 * and its connections are left to finish.
 */
export const closeLinksToUnhealthyRunners = Layer.scopedDiscard(
  Effect.gen(function* () {
    const storage = yield* RunnerStorage.RunnerStorage
    const links = yield* RunnerLinks
    let unhealthy = new Set<string>()
    yield* storage.getRunners.pipe(
      Effect.flatMap((runners) =>
        Effect.gen(function* () {
          const now = new Set(runners.filter(([, healthy]) => !healthy).map(([runner]) => keyOf(runner.address)))
          for (const [runner, healthy] of runners) {
            if (healthy || unhealthy.has(keyOf(runner.address))) continue
            const closed = links.closeTo(runner.address)
            if (closed > 0) {
              yield* Effect.logWarning(
                `closed ${closed} connection(s) to runner ${keyOf(runner.address)}: the cluster marked it unhealthy`,
              )
            }
          }
          unhealthy = now
        }),
      ),
      Effect.catchAllCause(Effect.logDebug),
      Effect.repeat(Schedule.spaced(Duration.seconds(1))),
      Effect.forkScoped,
    )
  }),
)

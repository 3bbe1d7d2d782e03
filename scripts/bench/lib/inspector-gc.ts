import { Data, Duration, Effect } from "effect"
import WebSocket from "ws"

/** The inspector of a process could not be reached or did not answer. */
export class InspectorFailed extends Data.TaggedError("InspectorFailed")<{ readonly message: string }> {}

/** The inspector's WebSocket URL from what a process started with `--inspect` printed ("Debugger listening on ..."). */
export const inspectorUrl = (output: string): string | undefined =>
  /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1]

/** What V8 reports of its heap, in bytes. */
export interface HeapUsage {
  readonly usedSize: number
  readonly totalSize: number
}

const call = (socket: WebSocket, id: number, method: string): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const reply: unknown = JSON.parse(data.toString())
      if (typeof reply !== "object" || reply === null || !("id" in reply) || reply.id !== id) return
      socket.off("message", onMessage)
      if ("error" in reply) reject(new Error(`${method}: ${JSON.stringify(reply.error)}`))
      else resolve("result" in reply ? reply.result : undefined)
    }
    socket.on("message", onMessage)
    socket.send(JSON.stringify({ id, method }))
  })

const isHeapUsage = (value: unknown): value is HeapUsage =>
  typeof value === "object" &&
  value !== null &&
  "usedSize" in value &&
  typeof value.usedSize === "number" &&
  "totalSize" in value &&
  typeof value.totalSize === "number"

/**
 * Through the inspector of another Node process (started with `--inspect=127.0.0.1:0`): a full garbage
 * collection (HeapProfiler.collectGarbage), then the heap still in use. So that a memory reading counts what the
 * process keeps, not the garbage it has not collected yet.
 */
export const collectGarbage = (url: string) =>
  Effect.tryPromise({
    try: async () => {
      const socket = new WebSocket(url)
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once("open", () => resolve())
          socket.once("error", reject)
        })
        await call(socket, 1, "HeapProfiler.collectGarbage")
        const usage = await call(socket, 2, "Runtime.getHeapUsage")
        if (!isHeapUsage(usage)) throw new Error(`Runtime.getHeapUsage answered ${JSON.stringify(usage)}`)
        return { usedSize: usage.usedSize, totalSize: usage.totalSize }
      } finally {
        socket.close()
      }
    },
    catch: (e) =>
      new InspectorFailed({ message: `the inspector at ${url}: ${e instanceof Error ? e.message : String(e)}` }),
  }).pipe(
    Effect.timeoutFail({
      duration: Duration.seconds(60),
      onTimeout: () => new InspectorFailed({ message: `the inspector at ${url} did not answer within 60 s` }),
    }),
  )

import { ConsoleClient, isSnapshot } from "@ringmaster/testkit"
import { Data, Duration, Effect } from "effect"

/** A console could not connect, or the server refused one of its commands. */
export class ConsoleStepFailed extends Data.TaggedError("ConsoleStepFailed")<{ readonly message: string }> {}

const attempt = <A>(what: string, f: () => Promise<A>) =>
  Effect.tryPromise({
    try: f,
    catch: (e) => new ConsoleStepFailed({ message: `${what}: ${e instanceof Error ? e.message : String(e)}` }),
  })

/**
 * Opens one agent console per token over a real WebSocket, `concurrency` at a time, and waits until each has its
 * AgentSnapshot (the gateway has authenticated it, subscribed it and activated its Agent entity). Every console is
 * closed when the scope closes; the close waits at most 10 s for the sockets to finish.
 */
export const connectConsoles = (baseUrl: string, tokens: ReadonlyArray<string>, concurrency: number) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const opened: Array<ConsoleClient> = []
      yield* Effect.forEach(
        tokens,
        (token) =>
          Effect.gen(function* () {
            const client = yield* attempt(`connecting ${token}`, () => ConsoleClient.connect(baseUrl, token))
            opened.push(client)
            yield* attempt(`the snapshot of ${token}`, () =>
              client.waitFor(isSnapshot, { from: 0, timeoutMs: 60_000, what: "the first AgentSnapshot" }),
            )
            return client
          }),
        { concurrency, discard: true },
      ).pipe(Effect.onError(() => closeAll(opened)))
      return opened as ReadonlyArray<ConsoleClient>
    }).pipe(
      // Ctrl-C while many consoles connect stops at once; those already open are closed above.
      Effect.interruptible,
    ),
    closeAll,
  )

const closeAll = (clients: ReadonlyArray<ConsoleClient>) =>
  Effect.promise(() => Promise.all(clients.map((c) => c.close()))).pipe(
    // A finalizer runs uninterruptibly: made interruptible, the timeout can give up on a close that hangs.
    Effect.interruptible,
    Effect.timeout(Duration.seconds(10)),
    Effect.ignore,
  )

/** Every console sends SetState Online and waits for its Ack, `concurrency` at a time. */
export const bringOnline = (clients: ReadonlyArray<ConsoleClient>, concurrency: number) =>
  Effect.forEach(
    clients,
    (client) => attempt("SetState Online", () => client.command({ _tag: "SetState", state: "Online" }, 60_000)),
    { concurrency, discard: true },
  )

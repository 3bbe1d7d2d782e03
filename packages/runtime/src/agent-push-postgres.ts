import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { ServerMessage } from "@ringmaster/protocol"
import { PgListener, pgNotify } from "@ringmaster/store"
import { Chunk, Context, Effect, Layer, PubSub, Queue, Schedule, Schema, Stream } from "effect"
import { AgentPush } from "./agent-push.js"
import { RunnerPeers } from "./runner-peers.js"

/** The PostgreSQL channel every runner listens on for console messages. */
const PUSH_CHANNEL = "ringmaster_push"
/** NOTIFY payloads are capped at 8000 bytes; a longer message travels through the `push_outbox` table. */
const MAX_PAYLOAD_BYTES = 7_500
/** The most messages one NOTIFY carries. */
const MAX_BATCH = 200

const Item = Schema.Union(
  Schema.Struct({ channel: Schema.String, message: ServerMessage }),
  Schema.Struct({ ref: Schema.Number }),
)
const Payload = Schema.parseJson(Schema.Array(Item))
const encodeItem = Schema.encodeSync(Schema.parseJson(Item))
const decodePayload = Schema.decodeUnknown(Payload)
const decodeStored = Schema.decodeUnknown(
  Schema.parseJson(Schema.Struct({ channel: Schema.String, message: ServerMessage })),
)

/**
 * Splits encoded items into NOTIFY payloads (JSON arrays) of at most `maxBytes`, in order, each starting with the
 * item `lead`.
 */
export const packPayloads = (items: ReadonlyArray<string>, maxBytes: number, lead: string): Array<string> => {
  const payloads: Array<string> = []
  const empty = 2 + Buffer.byteLength(lead)
  let batch: Array<string> = [lead]
  let size = empty
  for (const item of items) {
    const bytes = Buffer.byteLength(item) + 1
    if (batch.length > 1 && size + bytes > maxBytes) {
      payloads.push(`[${batch.join(",")}]`)
      batch = [lead]
      size = empty
    }
    batch.push(item)
    size += bytes
  }
  if (batch.length > 1) payloads.push(`[${batch.join(",")}]`)
  return payloads
}

/** The outbox's ids start at 1: a reference to 0 names no stored message. */
const noStoredMessage = 0

/**
 * The first item of every payload a runner sends: a reference to no stored message, carrying the runner's id. A
 * runner of an earlier version, which knows no sender, reads it as a message no longer stored and delivers the
 * rest; a runner of this version skips its own payloads by this item, without decoding them.
 */
export const senderItem = (runnerId: string): string => JSON.stringify({ ref: noStoredMessage, from: runnerId })

/** True when the payload was sent by the runner whose first item is `sender`. */
export const sentBy = (raw: string, sender: string): boolean => raw.startsWith(`[${sender}`)

/**
 * Console messages across runners: an entity may live on one runner while the agent's WebSocket is open on
 * another, so every message goes out through PostgreSQL NOTIFY and every runner hands it to its own connections.
 * The runner that publishes a message hands it to its own connections at once, and skips its own NOTIFYs (each
 * payload starts with an item naming the runner that sent it): no wait for the round trip through PostgreSQL, and
 * no decoding of its own messages. Sending only queues the message: one sender sends what has queued up meanwhile
 * in as few NOTIFYs as fit, so that a busy runner pays one statement for many messages. Messages of one runner
 * arrive in the order they were published. A payload is one of earlier versions with the sender's item first, so
 * runners of this version and of earlier ones serve consoles together during a rolling upgrade. Each time the runner
 * starts listening (again, after a lost connection), it signals a gap, so that its consoles are sent their state
 * afresh: what other runners sent meanwhile was not heard. A runner alone (`RunnerPeers`) sends nothing through
 * PostgreSQL; when other runners may have missed it, its consoles are sent their state afresh as after a gap.
 */
export const AgentPushPostgres = Layer.scoped(
  AgentPush,
  Effect.gen(function* () {
    const pg = yield* PgClient.PgClient
    const listener = yield* PgListener
    const peers = yield* RunnerPeers
    const local = Context.get(yield* Layer.build(AgentPush.layerLocal), AgentPush)

    const sender = senderItem(crypto.randomUUID())
    /** The longest message a payload carries inline: what is left of the limit after `[`, the sender, `,` and `]`. */
    const maxInline = MAX_PAYLOAD_BYTES - Buffer.byteLength(sender) - 3

    const deliver = (raw: string) =>
      Effect.gen(function* () {
        if (sentBy(raw, sender)) return
        for (const item of yield* decodePayload(raw)) {
          if ("message" in item) {
            yield* local.publish(item.channel, item.message)
            continue
          }
          if (item.ref === noStoredMessage) continue
          const rows = yield* pg<{ payload: string }>`SELECT payload FROM push_outbox WHERE id = ${item.ref}`
          const row = rows[0]
          if (row === undefined) continue
          const stored = yield* decodeStored(row.payload)
          yield* local.publish(stored.channel, stored.message)
        }
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("console messages could not be delivered", cause)))

    const gaps = yield* PubSub.unbounded<void>()
    // A lost connection fails the stream: listen again on a new one (what was sent meanwhile is not heard).
    yield* listener.listen(PUSH_CHANNEL, PubSub.publish(gaps, undefined)).pipe(
      Stream.runForEach(deliver),
      Effect.tapError((error) => Effect.logWarning("console messages of other runners: listening again", error)),
      Effect.retry(Schedule.spaced("1 second")),
      Effect.forkScoped,
    )
    // Consoles are sent their state afresh when other runners may have missed this one, and when a runner went away:
    // it may have saved an agent's state and gone before its message for a console here was out.
    const seenAgain = yield* peers.seenAgain
    const departed = yield* peers.departed
    for (const signals of [seenAgain, departed]) {
      yield* Queue.take(signals).pipe(
        Effect.zipRight(PubSub.publish(gaps, undefined)),
        Effect.forever,
        Effect.forkScoped,
      )
    }

    const notify = (payload: string) =>
      pgNotify(PUSH_CHANNEL, payload).pipe(Effect.provideService(SqlClient.SqlClient, pg))

    /** A message too long for a NOTIFY is stored, and the NOTIFY carries its row id. */
    const inline = (item: string) =>
      Effect.gen(function* () {
        if (Buffer.byteLength(item) <= maxInline) return item
        const rows = yield* pg<{ id: number }>`INSERT INTO push_outbox (payload, created_at)
          VALUES (${item}, ${Date.now()}) RETURNING id`
        yield* pg`DELETE FROM push_outbox WHERE created_at < ${Date.now() - 60_000}`
        return encodeItem({ ref: Number(rows[0]?.id) })
      })

    const outgoing = yield* Queue.unbounded<string>()
    const sendQueued = Effect.gen(function* () {
      const first = yield* Queue.take(outgoing)
      const more = yield* Queue.takeUpTo(outgoing, MAX_BATCH - 1)
      const items = yield* Effect.forEach([first, ...Chunk.toReadonlyArray(more)], inline)
      yield* Effect.forEach(packPayloads(items, MAX_PAYLOAD_BYTES, sender), notify, { discard: true })
    }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("console messages could not be published", cause)))
    yield* Effect.forkScoped(Effect.forever(sendQueued))

    const publish = (channel: string, message: ServerMessage) =>
      Effect.suspend(() =>
        peers.alone()
          ? local.publish(channel, message)
          : Effect.zipRight(local.publish(channel, message), Queue.offer(outgoing, encodeItem({ channel, message }))),
      ).pipe(Effect.asVoid)

    return AgentPush.of({ publish, subscribe: local.subscribe, gaps: PubSub.subscribe(gaps), ready: peers.open })
  }),
)

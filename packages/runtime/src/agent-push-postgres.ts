import { PgClient } from "@effect/sql-pg"
import { ServerMessage } from "@ringmaster/protocol"
import { Context, Effect, Layer, Schedule, Schema, Stream } from "effect"
import { AgentPush } from "./agent-push.js"

/** The PostgreSQL channel every runner listens on for console messages. */
const PUSH_CHANNEL = "ringmaster_push"
/** NOTIFY payloads are capped at 8000 bytes; a longer message travels through the `push_outbox` table. */
const MAX_INLINE_BYTES = 7_500

const Envelope = Schema.parseJson(
  Schema.Union(
    Schema.Struct({ channel: Schema.String, message: ServerMessage }),
    Schema.Struct({ ref: Schema.Number }),
  ),
)
const encodeEnvelope = Schema.encodeSync(Envelope)
const decodeEnvelope = Schema.decodeUnknown(Envelope)
const decodeStored = Schema.decodeUnknown(
  Schema.parseJson(Schema.Struct({ channel: Schema.String, message: ServerMessage })),
)

/**
 * Console messages across runners: an entity may live on one runner while the agent's WebSocket is open on
 * another, so every message goes out as a PostgreSQL NOTIFY and every runner hands it to its own connections.
 * Messages of one publisher arrive in the order they were published.
 */
export const AgentPushPostgres = Layer.scoped(
  AgentPush,
  Effect.gen(function* () {
    const pg = yield* PgClient.PgClient
    const local = Context.get(yield* Layer.build(AgentPush.layerLocal), AgentPush)

    const deliver = (payload: string) =>
      Effect.gen(function* () {
        const envelope = yield* decodeEnvelope(payload)
        if ("message" in envelope) return yield* local.publish(envelope.channel, envelope.message)
        const rows = yield* pg<{ payload: string }>`SELECT payload FROM push_outbox WHERE id = ${envelope.ref}`
        const row = rows[0]
        if (row === undefined) return
        const stored = yield* decodeStored(row.payload)
        yield* local.publish(stored.channel, stored.message)
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("a console message could not be delivered", cause)))

    yield* pg
      .listen(PUSH_CHANNEL)
      .pipe(Stream.runForEach(deliver), Effect.retry(Schedule.spaced("1 second")), Effect.forkScoped)

    // PgClient.notify sends `NOTIFY channel, $1`, which PostgreSQL does not accept with a parameter.
    const notify = (payload: string) => pg`SELECT pg_notify(${PUSH_CHANNEL}, ${payload})`

    const publish = (channel: string, message: ServerMessage) =>
      Effect.gen(function* () {
        const inline = encodeEnvelope({ channel, message })
        if (Buffer.byteLength(inline) <= MAX_INLINE_BYTES) return yield* notify(inline)
        const stored = JSON.stringify({ channel, message: Schema.encodeSync(ServerMessage)(message) })
        const rows = yield* pg<{ id: number }>`INSERT INTO push_outbox (payload, created_at)
          VALUES (${stored}, ${Date.now()}) RETURNING id`
        const id = Number(rows[0]?.id)
        yield* notify(encodeEnvelope({ ref: id }))
        yield* pg`DELETE FROM push_outbox WHERE created_at < ${Date.now() - 60_000}`
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("a console message could not be published", cause)))

    return AgentPush.of({ publish, subscribe: local.subscribe })
  }),
)

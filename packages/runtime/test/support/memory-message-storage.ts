import { MessageStorage, type ShardingConfig, Snowflake } from "@effect/cluster"
import { Effect, Layer, Option } from "effect"

type Unprocessed = Effect.Effect.Success<ReturnType<MessageStorage.Encoded["unprocessedMessages"]>>

/**
 * `@effect/cluster`'s in-memory message storage, with one change: the storage loop's poll walks the messages not
 * yet processed instead of every message ever stored. The library's driver scans its whole journal on each poll, so
 * a simulated day (thousands of persisted timers, most long answered) got slower hour by hour. Messages come in the
 * order they were stored; one stored again for a retry comes after the others.
 */
export const memoryMessageStorage: Layer.Layer<
  MessageStorage.MessageStorage | MessageStorage.MemoryDriver,
  never,
  ShardingConfig.ShardingConfig
> = Layer.effect(
  MessageStorage.MessageStorage,
  Effect.gen(function* () {
    const driver = yield* MessageStorage.MemoryDriver
    const { requests, unprocessed } = driver
    const unprocessedMessages: MessageStorage.Encoded["unprocessedMessages"] = (shardIds, now) =>
      Effect.sync(() => {
        const messages: Array<Unprocessed[number]> = []
        if (unprocessed.size === 0) return messages
        // Most of what waits here are timers not yet due: they are passed over before the shard is looked at.
        let shards: Set<string> | undefined
        const onOurShard = (envelope: Unprocessed[number]["envelope"]) => {
          shards ??= new Set(shardIds)
          return shards.has(`${envelope.address.shardId.group}:${envelope.address.shardId.id}`)
        }
        for (const envelope of unprocessed) {
          if (envelope._tag === "Request") {
            const entry = requests.get(envelope.requestId)
            if (entry === undefined || (entry.deliverAt !== null && entry.deliverAt > now)) continue
            if (!onOurShard(envelope)) continue
            messages.push({ envelope, lastSentReply: Option.fromNullable(entry.replies[entry.replies.length - 1]) })
          } else {
            if (!onOurShard(envelope)) continue
            messages.push({ envelope, lastSentReply: Option.none() })
            unprocessed.delete(envelope)
          }
        }
        return messages
      })
    return yield* MessageStorage.makeEncoded({ ...driver.encoded, unprocessedMessages })
  }),
).pipe(Layer.provideMerge(MessageStorage.MemoryDriver.Default), Layer.provide(Snowflake.layerGenerator))

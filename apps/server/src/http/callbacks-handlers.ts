import { HttpApiBuilder } from "@effect/platform"
import { notFound, RingmasterApi } from "@ringmaster/protocol"
import { finishCallbackTask, openCallbackTasks } from "@ringmaster/store"
import { Clock, Effect, Option } from "effect"
import { intParam } from "./input.js"
import { requireConfigurer, requireReader } from "./roles.js"

export const CallbacksHandlers = HttpApiBuilder.group(RingmasterApi, "callbacks", (handlers) =>
  Effect.succeed(
    handlers
      .handle("list", ({ urlParams }) =>
        Effect.gen(function* () {
          const user = yield* requireReader
          const limit = yield* intParam("limit", urlParams.limit, { min: 1, max: 1_000, fallback: 200 })
          return yield* openCallbackTasks(user.tenantId, limit).pipe(Effect.orDie)
        }),
      )
      .handle("done", ({ path }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const now = yield* Clock.currentTimeMillis
          const task = yield* finishCallbackTask(user.tenantId, path.taskId, now).pipe(Effect.orDie)
          if (Option.isNone(task)) return yield* notFound("callback task", String(path.taskId))
          return task.value
        }),
      ),
  ),
)

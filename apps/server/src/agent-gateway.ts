import { Sharding } from "@effect/cluster"
import { HttpLayerRouter, HttpServerRequest, HttpServerResponse, Socket } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import type { AgentId } from "@ringmaster/domain"
import {
  AgentEntity,
  type ClientMessage,
  decodeClientMessage,
  describeParseIssues,
  encodeServerMessage,
  type ServerMessage,
} from "@ringmaster/protocol"
import { AgentPush, TenantConfigs, tenantChannel, userChannel } from "@ringmaster/runtime"
import { Cause, Duration, Effect, Either, Fiber, Layer, Queue } from "effect"
import { makeAgentPresence } from "./agent-presence.js"
import { viewUntilAnswered } from "./agent-view-retry.js"
import { withCommandPatience } from "./command-patience.js"
import { credentialEndedCode, makeCredentialWatch } from "./credential-watch.js"
import { authenticate } from "./http/authentication.js"

/**
 * The console WebSocket gateway, GET /ws?token=... (browsers cannot set headers on a WebSocket). An agent's
 * connection receives its snapshot, notifications and alerts, and sends commands that become messages to its
 * entity; a lost connection logs the agent out after a grace period, unless it reconnects. A supervisor's
 * connection receives the alerts addressed to them and every state change of their tenant's agents.
 */
export const agentGatewayRoute = (options: { readonly presenceGrace: Duration.Duration }) =>
  HttpLayerRouter.use((router) =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const push = yield* AgentPush
      const configs = yield* TenantConfigs
      const agents = yield* Effect.provideService(AgentEntity.client, Sharding.Sharding, yield* Sharding.Sharding)
      const connections = new Map<AgentId, number>()
      const graceTimers = new Map<AgentId, Fiber.RuntimeFiber<void>>()
      const logOut = (agentId: AgentId) =>
        agents(agentId).SetState({ state: "Offline", source: "system" }).pipe(Effect.ignore)
      const presence = yield* makeAgentPresence({ grace: options.presenceGrace, logOut })
      const credentials = yield* makeCredentialWatch({})

      const handleCommand = (agentId: AgentId, message: ClientMessage): Effect.Effect<ServerMessage | null> => {
        const requestId = message.requestId ?? null
        const ack = (): ServerMessage | null => (requestId === null ? null : { _tag: "Ack", requestId })
        const agent = agents(agentId)
        const run = (() => {
          switch (message._tag) {
            case "Ping":
              return Effect.succeed<ServerMessage | null>({ _tag: "Pong", requestId })
            case "SetState":
              return Effect.map(agent.SetState({ state: message.state, source: "agent" }), ack)
            case "Accept":
              return Effect.map(agent.Accept({ offerId: message.offerId }), ack)
            case "Ignore":
              return Effect.map(agent.Ignore({ offerId: message.offerId }), ack)
            case "Hangup":
              return Effect.map(agent.Hangup(), ack)
            case "Dial":
              return Effect.map(agent.Dial({ leadId: message.leadId }), ack)
            case "SubmitOutcome":
              return Effect.map(
                agent.SubmitOutcome({
                  dispositionId: message.dispositionId,
                  notes: message.notes,
                  doNotCall: message.doNotCall,
                }),
                ack,
              )
          }
        })() as Effect.Effect<ServerMessage | null, { readonly _tag: string; readonly message?: string }>
        return withCommandPatience(run).pipe(
          Effect.catchAll((e) =>
            Effect.succeed<ServerMessage>({
              _tag: "Failure",
              requestId,
              code: "code" in e && typeof e.code === "string" ? e.code : e._tag,
              message: e.message ?? e._tag,
            }),
          ),
          Effect.catchAllDefect((defect) =>
            Effect.as(Effect.logError("agent command failed", Cause.die(defect)), {
              _tag: "Failure" as const,
              requestId,
              code: "internal",
              message: "the command could not be carried out; try again",
            }),
          ),
        )
      }

      /** The last console of an agent closed: after the grace period, log the agent out. */
      const startGrace = (agentId: AgentId) =>
        Effect.gen(function* () {
          const fiber = yield* Effect.sleep(options.presenceGrace).pipe(
            Effect.zipRight(
              Effect.suspend(() =>
                (connections.get(agentId) ?? 0) > 0
                  ? Effect.void
                  : // The console may have moved to another runner meanwhile.
                    Effect.flatMap(presence.live(agentId), (live) => (live ? Effect.void : logOut(agentId))),
              ),
            ),
            Effect.ensuring(Effect.sync(() => graceTimers.delete(agentId))),
            // started from a connection's finalizer, which is uninterruptible: without this a console that comes
            // back would wait for the whole grace period in Fiber.interrupt before its socket opened
            Effect.interruptible,
            Effect.forkDaemon,
          )
          graceTimers.set(agentId, fiber)
        })

      const connect = Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const url = new URL(request.url, "http://localhost")
        const header = request.headers["authorization"]
        const token =
          url.searchParams.get("token") ?? (header?.startsWith("Bearer ") === true ? header.slice(7) : undefined)
        if (token === undefined || token === "") {
          return HttpServerResponse.unsafeJson(
            { _tag: "Unauthorized", message: "a token is required" },
            { status: 401 },
          )
        }
        const user = yield* authenticate(token).pipe(Effect.provideService(SqlClient.SqlClient, sql), Effect.either)
        if (Either.isLeft(user)) {
          return HttpServerResponse.unsafeJson(user.left, { status: 401 })
        }
        const me = user.right
        const agentId = me.agentId
        yield* Effect.logDebug(`console of ${agentId ?? me.userId}: connecting`)
        // A runner that has just started waits until the other runners know of it (seconds at most).
        yield* push.ready
        const channel = agentId ?? userChannel(me.userId)
        const socket = yield* request.upgrade
        const write = yield* socket.writer
        yield* credentials.watch(token, me, (reason) =>
          write(new Socket.CloseEvent(credentialEndedCode, reason.slice(0, 120))).pipe(
            Effect.catchAllCause(Effect.logDebug),
          ),
        )
        const send = (m: ServerMessage) => write(encodeServerMessage(m))
        const inbox = yield* push.subscribe(channel)
        // A supervisor's console also follows every agent of its tenant, live.
        const tenantInbox =
          agentId === null && me.role !== "agent" ? yield* push.subscribe(tenantChannel(me.tenantId)) : null
        if (agentId !== null) {
          connections.set(agentId, (connections.get(agentId) ?? 0) + 1)
          yield* presence.connected(agentId)
          yield* Effect.logDebug(`console of ${agentId}: present`)
          const grace = graceTimers.get(agentId)
          if (grace !== undefined) yield* Fiber.interrupt(grace)
        }

        const gaps = yield* push.gaps
        /**
         * What a console is sent when it connects, and again when this runner may have missed messages for it: its
         * Hello (on which a supervisor's console reloads what it shows) and an agent's snapshot, the agent's truth.
         */
        const greet = Effect.gen(function* () {
          yield* send({ _tag: "Hello", userId: me.userId, name: me.name, role: me.role })
          if (agentId !== null) {
            const [config, view] = yield* viewUntilAnswered(
              agentId,
              Effect.zip(configs.get(me.tenantId), agents(agentId).View()),
            )
            yield* send({ _tag: "AgentSnapshot", agent: view, dispositions: Array.from(config.dispositions.values()) })
          }
        })

        // Writing waits for the socket to open, which happens once it runs: the writes go on in their own fiber.
        yield* Effect.gen(function* () {
          yield* greet
          yield* Effect.logDebug(`console of ${agentId ?? me.userId}: greeted`)
          const forward = (queue: Queue.Dequeue<ServerMessage>) =>
            Queue.take(queue).pipe(Effect.flatMap(send), Effect.forever)
          const greetAfterGaps = Queue.take(gaps).pipe(Effect.zipRight(greet), Effect.forever)
          const inboxes = tenantInbox === null ? [inbox] : [inbox, tenantInbox]
          yield* Effect.all([...inboxes.map(forward), greetAfterGaps], { concurrency: "unbounded", discard: true })
        }).pipe(Effect.catchAllCause(Effect.logDebug), Effect.forkScoped)

        yield* socket
          .runRaw((data) => {
            const text = typeof data === "string" ? data : new TextDecoder().decode(data)
            const decoded = decodeClientMessage(text)
            if (Either.isLeft(decoded)) {
              return send({
                _tag: "Failure",
                requestId: null,
                code: "bad-message",
                message: `the message could not be read: ${describeParseIssues(decoded.left).slice(0, 300)}`,
              })
            }
            const command = decoded.right
            if (agentId === null) {
              return send(
                command._tag === "Ping"
                  ? { _tag: "Pong", requestId: command.requestId ?? null }
                  : {
                      _tag: "Failure",
                      requestId: command.requestId ?? null,
                      code: "not-an-agent",
                      message: `${command._tag} is for agents; this console receives alerts only`,
                    },
              )
            }
            return handleCommand(agentId, command).pipe(
              Effect.flatMap((reply) => (reply === null ? Effect.void : send(reply))),
            )
          })
          .pipe(
            Effect.catchAll(() => Effect.void),
            Effect.ensuring(
              Effect.suspend(() => {
                if (agentId === null) return Effect.void
                return Effect.zipRight(presence.disconnected(agentId), closed(agentId))
              }),
            ),
          )
        return HttpServerResponse.empty()
      }).pipe(Effect.scoped)

      /** A console of the agent closed on this runner: when it was the last one here, the grace period starts. */
      const closed = (agentId: AgentId) =>
        Effect.suspend(() => {
          const left = (connections.get(agentId) ?? 1) - 1
          if (left > 0) {
            connections.set(agentId, left)
            return Effect.void
          }
          connections.delete(agentId)
          return startGrace(agentId)
        })

      // After a restart nobody is connected yet: agents still marked at work are logged out unless they reconnect.
      const present = yield* sql<{ id: string }>`SELECT id FROM agents WHERE state NOT IN ('Offline', 'OnCall')`.pipe(
        Effect.orDie,
      )
      yield* Effect.forEach(present, (a) => startGrace(a.id as AgentId), { discard: true })

      yield* router.add("GET", "/ws", connect)
    }),
  )

export const AgentGatewayLive = (presenceGraceSeconds: number) =>
  Layer.unwrapEffect(Effect.succeed(agentGatewayRoute({ presenceGrace: Duration.seconds(presenceGraceSeconds) })))

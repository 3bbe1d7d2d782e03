import type { AddressInfo } from "node:net"
import { generateKeyPairSync, randomUUID, sign } from "node:crypto"
import type { KeyObject } from "node:crypto"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import { Effect } from "effect"
import type { Scope } from "effect"
import { telnyxMessageReceivedBody, telnyxWebhookBody } from "./telnyx-webhook-body.js"

/** One HTTP request the fake received, as the SDK sent it. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  /** Lower-case names, as node:http gives them. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body; undefined when there was none. */
  readonly body: unknown
  /** When it arrived, epoch milliseconds. */
  readonly at: number
}

/** A webhook as it goes over the wire: the exact body bytes and the signature headers. */
export interface SignedWebhook {
  readonly rawBody: string
  readonly headers: Readonly<Record<string, string>>
}

/** How the far end meets a dial (the conformance suite's RemoteBehaviour). */
export type FarEnd = "human" | "machine" | "noAnswer" | "busy" | "disconnected"

export interface FakeTelnyxTiming {
  /** Ringing before a human or a machine answers. */
  readonly answerAfterMs: number
  /** From the answer to `call.machine.detection.ended`. */
  readonly amdAfterMs: number
  /** From the answer to the beep (`call.machine.greeting.ended`) of a machine. */
  readonly greetingMs: number
  /** A busy or disconnected number is refused this long after the dial. */
  readonly rejectAfterMs: number
  /** One second of a dial's `timeout_secs` lasts this long here, so a 30 s ring timeout takes 30 × this. */
  readonly msPerRingSecond: number
  /** A spoken message lasts this long per character of its `payload`. */
  readonly speakMsPerChar: number
}

export const defaultFakeTiming: FakeTelnyxTiming = {
  answerAfterMs: 20,
  amdAfterMs: 20,
  greetingMs: 40,
  rejectAfterMs: 10,
  msPerRingSecond: 10,
  speakMsPerChar: 1,
}

export interface FakeTelnyxOptions {
  /** The key the fake expects in `Authorization: Bearer <apiKey>`; anything else is a 401. */
  readonly apiKey: string
  readonly timing?: Partial<FakeTelnyxTiming>
  /** Deliver every webhook twice, as Telnyx does when an acknowledgement is slow. */
  readonly duplicateWebhooks?: boolean
}

export interface FakeTelnyxApi {
  /** The SDK's `baseURL`: Telnyx roots every path at `/v2`. */
  readonly baseUrl: string
  /** The Ed25519 public key (base64) the fake signs its webhooks with. */
  readonly publicKey: string
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** The next `count` requests are answered with `status` (default 503) before anything is done. */
  readonly failNext: (count: number, status?: number) => Effect.Effect<void>
  /** The next `count` requests are recorded and never answered. */
  readonly hangNext: (count: number) => Effect.Effect<void>
  /** Every later dial to `to` meets `farEnd` (default: a human). */
  readonly arrange: (to: string, farEnd: FarEnd) => Effect.Effect<void>
  /** The far end hangs up a live call (Telnyx `hangup_cause`, default normal_clearing). */
  readonly remoteHangup: (carrierCallId: string, cause?: string) => Effect.Effect<void>
  /** Someone calls `to` from `from`: an incoming leg, parked until answered. */
  readonly callIn: (input: {
    readonly from: string
    readonly to: string
  }) => Effect.Effect<{ readonly carrierCallId: string }>
  /** A text from `from` to `to`: sends the signed `message.received` webhook Telnyx would, and gives its message id. */
  readonly textIn: (input: {
    readonly from: string
    readonly to: string
    readonly text: string
  }) => Effect.Effect<{ readonly messageId: string }>
  /** Where webhooks go, one at a time in the order they happen. */
  readonly onWebhook: (deliver: (webhook: SignedWebhook) => Promise<void>) => Effect.Effect<void>
  /** Deliveries that threw or were rejected (a webhook nobody took, a verification that failed...). */
  readonly deliveryFailures: Effect.Effect<ReadonlyArray<unknown>>
  /** Signs `rawBody` as Telnyx does; with another `privateKey` or an old `timestamp` for negative tests. */
  readonly sign: (
    rawBody: string,
    options?: { readonly timestamp?: number; readonly privateKey?: KeyObject },
  ) => SignedWebhook
}

type Phase = "ringing" | "answered" | "ended"

interface FakeCall {
  readonly id: string
  readonly legId: string
  readonly sessionId: string
  readonly direction: "incoming" | "outgoing"
  readonly from: string
  readonly to: string
  readonly amd: string
  clientState: string | undefined
  phase: Phase
  bridgedWith: string | undefined
  /** Bridged with `park_after_unbridge: "self"`: parked, not hung up, when the other leg ends. */
  parkAfterUnbridge: boolean
  readonly commandIds: Set<string>
  /** Messages spoken or queued, and when the last of them ends (epoch ms). */
  speechesPending: number
  speechEndsAt: number
}

interface TelnyxErrorEntry {
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly source?: { readonly pointer: string }
}

const connectionIdHeard = "fake-connection"

/** An Ed25519 public key as Telnyx shows it in the portal: the 32 raw bytes, base64. */
export const publicKeyBase64 = (publicKey: KeyObject): string => {
  const jwk = publicKey.export({ format: "jwk" })
  if (typeof jwk.x !== "string") throw new Error("not an Ed25519 public key")
  return Buffer.from(jwk.x, "base64url").toString("base64")
}

/** Signs like Telnyx: Ed25519 over `${timestamp}|${rawBody}`, base64, with the timestamp in Unix seconds. */
export const signLikeTelnyx = (rawBody: string, privateKey: KeyObject, timestamp: number): SignedWebhook => ({
  rawBody,
  headers: {
    "telnyx-signature-ed25519": sign(null, Buffer.from(`${timestamp}|${rawBody}`, "utf8"), privateKey).toString(
      "base64",
    ),
    "telnyx-timestamp": String(timestamp),
  },
})

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

const flatHeaders = (request: IncomingMessage): Record<string, string> =>
  Object.fromEntries(
    Object.entries(request.headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value]],
    ),
  )

const fieldOf = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined

const stringField = (body: unknown, name: string): string | undefined => {
  const value = fieldOf(body, name)
  return typeof value === "string" && value !== "" ? value : undefined
}

/**
 * A local stand-in for the Telnyx Call Control v2 API on 127.0.0.1, for tests: it records every request, answers
 * `POST /v2/calls` and the answer / bridge / transfer / speak / hangup actions the way Telnyx does (including 422 code 90015
 * for an unknown call and 90018 for one that has ended, and ignoring a repeated command_id), and plays the far end
 * of every call, sending the webhooks a real call would, signed with its own Ed25519 key. When one leg of a bridge
 * ends the other is hung up too, unless the bridge was sent on it with `park_after_unbridge: "self"`: then it stays up.
 * `textIn` plays an inbound SMS the way Messaging v2 reports it, by a signed `message.received` webhook.
 */
export const makeFakeTelnyxApi = (options: FakeTelnyxOptions): Effect.Effect<FakeTelnyxApi, never, Scope.Scope> =>
  Effect.gen(function* () {
    const timing: FakeTelnyxTiming = { ...defaultFakeTiming, ...options.timing }
    const keys = generateKeyPairSync("ed25519")
    const requests: Array<RecordedRequest> = []
    const calls = new Map<string, FakeCall>()
    const callByDialCommand = new Map<string, string>()
    const farEnds = new Map<string, FarEnd>()
    const timers = new Set<NodeJS.Timeout>()
    const hanging = new Set<ServerResponse>()
    const failures: Array<unknown> = []
    let failing: { count: number; status: number } = { count: 0, status: 503 }
    let hangs = 0
    let callsCreated = 0
    let deliver: ((webhook: SignedWebhook) => Promise<void>) | undefined
    let deliveries: Promise<void> = Promise.resolve()

    const later = (ms: number, step: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        step()
      }, ms)
      timers.add(timer)
    }

    const sendWebhook = (webhook: SignedWebhook) => {
      deliveries = deliveries.then(async () => {
        try {
          if (deliver === undefined) throw new Error("a webhook was sent before anyone listened for webhooks")
          await deliver(webhook)
        } catch (error) {
          failures.push(error)
        }
      })
    }

    const emit = (call: FakeCall, eventType: string, extra: Readonly<Record<string, unknown>> = {}) => {
      const payload = {
        call_control_id: call.id,
        call_leg_id: call.legId,
        call_session_id: call.sessionId,
        connection_id: connectionIdHeard,
        ...(call.clientState === undefined ? {} : { client_state: call.clientState }),
        from: call.from,
        to: call.to,
        ...extra,
      }
      const body = telnyxWebhookBody({ eventType, id: randomUUID(), occurredAt: new Date().toISOString(), payload })
      const webhook = signLikeTelnyx(JSON.stringify(body), keys.privateKey, Math.floor(Date.now() / 1000))
      sendWebhook(webhook)
      if (options.duplicateWebhooks === true) sendWebhook(webhook)
    }

    const end = (call: FakeCall, cause: string, source: string, sipCause?: string): void => {
      if (call.phase === "ended") return
      call.phase = "ended"
      // Telnyx ends every message still playing or queued with status call_hangup.
      for (; call.speechesPending > 0; call.speechesPending--) emit(call, "call.speak.ended", { status: "call_hangup" })
      emit(call, "call.hangup", {
        hangup_cause: cause,
        hangup_source: source,
        ...(sipCause === undefined ? {} : { sip_hangup_cause: sipCause }),
        state: "hangup",
      })
      const partner = call.bridgedWith === undefined ? undefined : calls.get(call.bridgedWith)
      call.bridgedWith = undefined
      if (partner === undefined) return
      partner.bridgedWith = undefined
      if (partner.parkAfterUnbridge) partner.parkAfterUnbridge = false
      else end(partner, "normal_clearing", "caller")
    }

    const whileIn = (call: FakeCall, phase: Phase, step: () => void) => () => {
      if (call.phase === phase) step()
    }

    const answered = (call: FakeCall) => {
      call.phase = "answered"
      emit(call, "call.answered", { state: "answered" })
    }

    /** What the far end does after a dial, in the order Telnyx would report it. */
    const playFarEnd = (call: FakeCall, farEnd: FarEnd, timeoutSecs: number) => {
      const detects = call.amd !== "disabled"
      switch (farEnd) {
        case "human":
          return later(
            timing.answerAfterMs,
            whileIn(call, "ringing", () => {
              answered(call)
              if (detects) {
                later(
                  timing.amdAfterMs,
                  whileIn(call, "answered", () => emit(call, "call.machine.detection.ended", { result: "human" })),
                )
              }
            }),
          )
        case "machine":
          return later(
            timing.answerAfterMs,
            whileIn(call, "ringing", () => {
              answered(call)
              if (!detects) return
              later(
                timing.amdAfterMs,
                whileIn(call, "answered", () => emit(call, "call.machine.detection.ended", { result: "machine" })),
              )
              // Telnyx reports the beep only when asked to listen for it.
              if (call.amd !== "detect_beep") return
              later(
                timing.greetingMs,
                whileIn(call, "answered", () => emit(call, "call.machine.greeting.ended", { result: "beep_detected" })),
              )
            }),
          )
        case "noAnswer":
          // Telnyx ends a dial whose timeout_secs ran out with hangup_cause "timeout".
          return later(
            timeoutSecs * timing.msPerRingSecond,
            whileIn(call, "ringing", () => end(call, "timeout", "callee", "487")),
          )
        case "busy":
          return later(
            timing.rejectAfterMs,
            whileIn(call, "ringing", () => end(call, "user_busy", "callee", "486")),
          )
        case "disconnected":
          // Telnyx's own cause for a number that does not exist is often "unspecified"; the SIP 404 tells it.
          return later(
            timing.rejectAfterMs,
            whileIn(call, "ringing", () => end(call, "unspecified", "callee", "404")),
          )
      }
    }

    const newCall = (input: Pick<FakeCall, "direction" | "from" | "to" | "amd" | "clientState">): FakeCall => {
      callsCreated += 1
      const call: FakeCall = {
        ...input,
        id: `v3:fake-call-${callsCreated}`,
        legId: randomUUID(),
        sessionId: randomUUID(),
        phase: "ringing",
        bridgedWith: undefined,
        parkAfterUnbridge: false,
        commandIds: new Set(),
        speechesPending: 0,
        speechEndsAt: 0,
      }
      calls.set(call.id, call)
      return call
    }

    const reply = (response: ServerResponse, status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" })
      response.end(JSON.stringify(body))
    }
    const refuse = (response: ServerResponse, status: number, entry: TelnyxErrorEntry) =>
      reply(response, status, { errors: [entry] })
    const ok = (response: ServerResponse) => reply(response, 200, { data: { result: "ok" } })
    const callData = (call: FakeCall) => ({
      data: {
        call_control_id: call.id,
        call_leg_id: call.legId,
        call_session_id: call.sessionId,
        is_alive: call.phase !== "ended",
        record_type: "call",
      },
    })

    const unknownCall = (pointer: string): TelnyxErrorEntry => ({
      code: "90015",
      title: "Invalid Call Control ID",
      detail: "The call_control_id provided was not valid.",
      source: { pointer },
    })
    const alreadyEnded: TelnyxErrorEntry = {
      code: "90018",
      title: "Call has already ended",
      detail: "This call is no longer active and can't receive commands.",
    }
    const wrongState = (detail: string): TelnyxErrorEntry => ({ code: "10015", title: "Bad Request", detail })

    const dial = (body: unknown, response: ServerResponse) => {
      for (const field of ["connection_id", "to", "from"]) {
        if (stringField(body, field) === undefined) {
          return refuse(response, 422, {
            code: "10004",
            title: "Missing required parameter",
            detail: `The '${field}' parameter is required.`,
            source: { pointer: `/${field}` },
          })
        }
      }
      const commandId = stringField(body, "command_id")
      const earlier = commandId === undefined ? undefined : calls.get(callByDialCommand.get(commandId) ?? "")
      if (earlier !== undefined) return reply(response, 200, callData(earlier))
      const call = newCall({
        direction: "outgoing",
        from: stringField(body, "from") ?? "",
        to: stringField(body, "to") ?? "",
        amd: stringField(body, "answering_machine_detection") ?? "disabled",
        clientState: stringField(body, "client_state"),
      })
      if (commandId !== undefined) callByDialCommand.set(commandId, call.id)
      const timeoutSecs = fieldOf(body, "timeout_secs")
      reply(response, 200, callData(call))
      later(0, () => {
        emit(call, "call.initiated", { direction: "outgoing", state: "bridging" })
        playFarEnd(call, farEnds.get(call.to) ?? "human", typeof timeoutSecs === "number" ? timeoutSecs : 30)
      })
    }

    const act = (call: FakeCall, action: string, body: unknown, response: ServerResponse) => {
      switch (action) {
        case "answer": {
          if (call.direction !== "incoming" || call.phase !== "ringing") {
            return refuse(response, 422, wrongState(`call ${call.id} is not an incoming call waiting to be answered`))
          }
          call.clientState = stringField(body, "client_state") ?? call.clientState
          ok(response)
          return answered(call)
        }
        case "bridge": {
          const otherId = stringField(body, "call_control_id") ?? ""
          const other = calls.get(otherId)
          if (other === undefined) return refuse(response, 422, unknownCall("/call_control_id"))
          if (other.phase === "ended") return refuse(response, 422, alreadyEnded)
          if (call.phase !== "answered" || other.phase !== "answered" || other.id === call.id) {
            return refuse(response, 422, wrongState(`calls ${call.id} and ${other.id} are not two answered calls`))
          }
          if (call.bridgedWith === other.id && other.bridgedWith === call.id) return ok(response)
          if (call.bridgedWith !== undefined || other.bridgedWith !== undefined) {
            return refuse(response, 422, wrongState(`call ${call.id} or ${other.id} is already bridged`))
          }
          call.bridgedWith = other.id
          other.bridgedWith = call.id
          call.parkAfterUnbridge = stringField(body, "park_after_unbridge") === "self"
          ok(response)
          emit(call, "call.bridged", { state: "bridged" })
          return emit(other, "call.bridged", { state: "bridged" })
        }
        case "transfer": {
          if (call.phase !== "answered" || stringField(body, "to") === undefined) {
            return refuse(response, 422, wrongState(`call ${call.id} is not an answered call, or 'to' is missing`))
          }
          return ok(response)
        }
        case "speak": {
          for (const field of ["payload", "voice"]) {
            if (stringField(body, field) === undefined) {
              return refuse(response, 422, {
                code: "10004",
                title: "Missing required parameter",
                detail: `The '${field}' parameter is required.`,
                source: { pointer: `/${field}` },
              })
            }
          }
          if (call.phase !== "answered") {
            return refuse(response, 422, wrongState(`call ${call.id} is not answered: nothing can be spoken on it`))
          }
          ok(response)
          // Messages queue: each starts when the one before it ends.
          const startsAt = Math.max(Date.now(), call.speechEndsAt)
          call.speechEndsAt = startsAt + (stringField(body, "payload") ?? "").length * timing.speakMsPerChar
          call.speechesPending += 1
          later(
            startsAt - Date.now(),
            whileIn(call, "answered", () => emit(call, "call.speak.started")),
          )
          return later(
            call.speechEndsAt - Date.now(),
            whileIn(call, "answered", () => {
              call.speechesPending -= 1
              emit(call, "call.speak.ended", { status: "completed" })
            }),
          )
        }
        case "hangup": {
          ok(response)
          if (call.phase === "answered") return end(call, "normal_clearing", "caller")
          // A dial still ringing is withdrawn; an incoming call not yet answered is turned down.
          return call.direction === "outgoing"
            ? end(call, "originator_cancel", "caller", "487")
            : end(call, "call_rejected", "caller", "603")
        }
        default:
          return refuse(response, 404, { code: "10005", title: "Resource not found", detail: `no action ${action}` })
      }
    }

    const route = (method: string, path: string, body: unknown, response: ServerResponse) => {
      if (method === "POST" && path === "/v2/calls") return dial(body, response)
      const match = /^\/v2\/calls\/([^/]+)\/actions\/([a-z_]+)$/.exec(path)
      if (method !== "POST" || match === null) {
        return refuse(response, 404, { code: "10005", title: "Resource not found", detail: `${method} ${path}` })
      }
      const call = calls.get(decodeURIComponent(match[1] ?? ""))
      if (call === undefined) return refuse(response, 422, unknownCall("/call_control_id"))
      const commandId = stringField(body, "command_id")
      // Telnyx ignores a command whose command_id this call has already seen.
      if (commandId !== undefined && call.commandIds.has(commandId)) return ok(response)
      if (call.phase === "ended") return refuse(response, 422, alreadyEnded)
      if (commandId !== undefined) call.commandIds.add(commandId)
      return act(call, match[2] ?? "", body, response)
    }

    const server = createServer((request, response) => {
      void readBody(request).then((text) => {
        const method = request.method ?? "GET"
        const path = (request.url ?? "/").split("?")[0] ?? "/"
        let body: unknown
        try {
          body = text === "" ? undefined : JSON.parse(text)
        } catch {
          body = text
        }
        requests.push({ method, path, headers: flatHeaders(request), body, at: Date.now() })
        if (hangs > 0) {
          hangs -= 1
          hanging.add(response)
          return
        }
        if (failing.count > 0) {
          failing = { ...failing, count: failing.count - 1 }
          return refuse(response, failing.status, {
            code: "10007",
            title: "Unexpected error",
            detail: "An unexpected error occured.",
          })
        }
        if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
          return refuse(response, 401, {
            code: "10009",
            title: "Authentication failed",
            detail: "The required authentication headers were either invalid or not included in the request.",
          })
        }
        route(method, path, body, response)
      })
    })

    const port = yield* Effect.acquireRelease(
      Effect.async<number>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
      }),
      () =>
        Effect.async<void>((resume) => {
          for (const timer of timers) clearTimeout(timer)
          timers.clear()
          for (const response of hanging) response.destroy()
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        }),
    )

    const api: FakeTelnyxApi = {
      baseUrl: `http://127.0.0.1:${port}/v2`,
      publicKey: publicKeyBase64(keys.publicKey),
      requests: Effect.sync(() => [...requests]),
      failNext: (count, status = 503) =>
        Effect.sync(() => {
          failing = { count, status }
        }),
      hangNext: (count) =>
        Effect.sync(() => {
          hangs = count
        }),
      arrange: (to, farEnd) => Effect.sync(() => void farEnds.set(to, farEnd)),
      remoteHangup: (carrierCallId, cause = "normal_clearing") =>
        Effect.suspend(() => {
          const call = calls.get(carrierCallId)
          if (call === undefined) return Effect.dieMessage(`the fake Telnyx API has no call ${carrierCallId}`)
          return Effect.sync(() => end(call, cause, "callee"))
        }),
      callIn: ({ from, to }) =>
        Effect.sync(() => {
          const call = newCall({ direction: "incoming", from, to, amd: "disabled", clientState: undefined })
          emit(call, "call.initiated", { direction: "incoming", state: "parked" })
          return { carrierCallId: call.id }
        }),
      textIn: ({ from, to, text }) =>
        Effect.sync(() => {
          const messageId = randomUUID()
          const at = new Date().toISOString()
          const body = telnyxMessageReceivedBody({ id: randomUUID(), messageId, occurredAt: at, from, to, text })
          const webhook = signLikeTelnyx(JSON.stringify(body), keys.privateKey, Math.floor(Date.now() / 1000))
          sendWebhook(webhook)
          if (options.duplicateWebhooks === true) sendWebhook(webhook)
          return { messageId }
        }),
      onWebhook: (handler) =>
        Effect.sync(() => {
          deliver = handler
        }),
      deliveryFailures: Effect.sync(() => [...failures]),
      sign: (rawBody, signOptions = {}) =>
        signLikeTelnyx(
          rawBody,
          signOptions.privateKey ?? keys.privateKey,
          signOptions.timestamp ?? Math.floor(Date.now() / 1000),
        ),
    }
    return api
  })

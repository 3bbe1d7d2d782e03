import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { E164 } from "@ringmaster/domain"
import { Effect, Either, Layer, Redacted } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { ExternalDnc, ExternalDncUnavailable } from "../../src/compliance/external-dnc.js"

const listed = E164.make("+13055551234")
const clear = E164.make("+14155552671")
const failing = E164.make("+12125550500")
const garbled = E164.make("+12125550600")
const silent = E164.make("+12125550700")

interface Seen {
  readonly phone: string | null
  readonly authorization: string | undefined
}

/** A registry on 127.0.0.1 answering by number; `silent` never answers. Every request is noted in `seen`. */
const registry = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly seen: Array<Seen>; readonly close: () => void }>((resume) => {
    const seen: Array<Seen> = []
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const phone = new URL(request.url ?? "/", "http://localhost").searchParams.get("phone")
      seen.push({ phone, authorization: request.headers.authorization })
      if (phone === silent) return
      if (phone === failing) return response.writeHead(503).end("down for maintenance")
      response.writeHead(200, { "content-type": "application/json" })
      if (phone === garbled) return response.end('{"status":"ok"}')
      response.end(JSON.stringify({ listed: phone === listed }))
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      if (address === null || typeof address === "string") return resume(Effect.die("the registry has no TCP port"))
      resume(
        Effect.succeed({
          url: `http://127.0.0.1:${address.port}/dnc`,
          seen,
          close: () => {
            server.closeAllConnections()
            server.close()
          },
        }),
      )
    })
  }),
  (server) => Effect.sync(server.close),
)

const askAll = (url: string, apiKey?: string) =>
  Effect.gen(function* () {
    const dnc = yield* ExternalDnc
    const ask = (phone: E164) => Effect.either(dnc.isListed(phone))
    return yield* Effect.all({
      isListed: ask(listed),
      isClear: ask(clear),
      down: ask(failing),
      bad: ask(garbled),
      slow: ask(silent),
    })
  }).pipe(
    Effect.provide(
      ExternalDnc.layerHttp({
        url,
        apiKey: apiKey === undefined ? undefined : Redacted.make(apiKey),
        timeout: "300 millis",
      }).pipe(Layer.provide(NodeHttpClient.layer)),
    ),
  )

describe("ExternalDnc.layerHttp", () => {
  it.live("asks the registry for each number and fails on anything but a clear answer", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const server = yield* registry
        const { isListed, isClear, down, bad, slow } = yield* askAll(server.url, "secret-key")
        expect(isListed).toEqual(Either.right(true))
        expect(isClear).toEqual(Either.right(false))
        for (const answer of [down, bad, slow]) {
          expect(Either.isLeft(answer) && answer.left).toBeInstanceOf(ExternalDncUnavailable)
        }
        expect(Either.isLeft(down) && down.left.message).toContain("503")
        expect(Either.isLeft(slow) && slow.left.message).toContain("did not answer within")
        expect(Either.isLeft(slow) && slow.left.phone).toBe(silent)
        // The number goes out in E.164 with its "+", and the key as a bearer token.
        expect(server.seen.map((s) => s.phone)).toEqual([listed, clear, failing, garbled, silent])
        expect(new Set(server.seen.map((s) => s.authorization))).toEqual(new Set(["Bearer secret-key"]))
      }),
    ),
  )

  it.live("sends no key when none is configured, and counts an unreachable registry as unavailable", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const server = yield* registry
        yield* askAll(server.url)
        expect(server.seen.every((s) => s.authorization === undefined)).toBe(true)
        server.close()
        const answers = yield* askAll(server.url)
        expect(Object.values(answers).every((answer) => Either.isLeft(answer))).toBe(true)
      }),
    ),
  )
})

describe("ExternalDnc test layers", () => {
  it.effect("layerNone lists nothing; layerFake lists and withholds the numbers it is given", () =>
    Effect.gen(function* () {
      const none = yield* Effect.provide(ExternalDnc, ExternalDnc.layerNone)
      expect(yield* none.isListed(listed)).toBe(false)
      const fake = yield* Effect.provide(ExternalDnc, ExternalDnc.layerFake(new Set([listed]), new Set([silent])))
      expect(yield* fake.isListed(listed)).toBe(true)
      expect(yield* fake.isListed(clear)).toBe(false)
      expect((yield* Effect.flip(fake.isListed(silent)))._tag).toBe("ExternalDncUnavailable")
    }),
  )
})

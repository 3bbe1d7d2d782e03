import { Effect, Exit, Scope } from "effect"
import {
  type FakeTelnyxApi,
  type FakeTelnyxOptions,
  makeFakeTelnyxApi,
  type SignedWebhook,
} from "../../../packages/carrier-telnyx/test/fake-telnyx-api.js"
import { e2eDatabase, type E2eDatabase } from "./database-mode.js"
import { startServer, type ServerProcess } from "./server-process.js"

/** A demo server (no demo leads) on the real Telnyx SDK, talking to a local fake of Telnyx's API. */
export interface TelnyxServer {
  readonly db: E2eDatabase
  readonly server: ServerProcess
  readonly fake: FakeTelnyxApi
  /** Posts a signed webhook to the server's ingress, as Telnyx does. */
  readonly deliver: (webhook: SignedWebhook) => Promise<Response>
  readonly stop: () => Promise<void>
}

/**
 * Starts the fake Telnyx API and a server whose carrier is Telnyx through it, with the fake's webhooks delivered to the
 * server's `POST /webhooks/telnyx`. Each delivery's answer goes to `onDelivery`; without it, an answer other than 200
 * fails the fake's delivery (and so the test that waits for its effect).
 */
export const startTelnyxServer = async (options: {
  readonly fake: FakeTelnyxOptions
  readonly connectionId: string
  readonly onDelivery?: (webhook: SignedWebhook, response: Response) => Promise<void>
}): Promise<TelnyxServer> => {
  const scope = Effect.runSync(Scope.make())
  const db = await e2eDatabase()
  const fake = await Effect.runPromise(Scope.extend(makeFakeTelnyxApi(options.fake), scope))
  const server = await startServer({
    ...db.env,
    DEMO: "true",
    DEMO_LEADS: "0",
    TELNYX_API_KEY: options.fake.apiKey,
    TELNYX_PUBLIC_KEY: fake.publicKey,
    TELNYX_CONNECTION_ID: options.connectionId,
    TELNYX_BASE_URL: fake.baseUrl,
  })
  const deliver = (webhook: SignedWebhook) =>
    fetch(`${server.baseUrl}/webhooks/telnyx`, {
      method: "POST",
      headers: { "content-type": "application/json", ...webhook.headers },
      body: webhook.rawBody,
    })
  await Effect.runPromise(
    fake.onWebhook(async (webhook) => {
      const response = await deliver(webhook)
      if (options.onDelivery !== undefined) return options.onDelivery(webhook, response)
      if (response.status !== 200) throw new Error(`the ingress answered ${response.status}: ${await response.text()}`)
    }),
  )
  return {
    db,
    server,
    fake,
    deliver,
    stop: async () => {
      await server.stop()
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await db.dispose()
    },
  }
}

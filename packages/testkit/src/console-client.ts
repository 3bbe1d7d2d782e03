import { type ClientMessage, decodeServerMessage, encodeClientMessage, type ServerMessage } from "@ringmaster/protocol"
import { Either } from "effect"
import WebSocket from "ws"

/**
 * A scripted agent console over a real WebSocket: records every server message and lets a test wait for the
 * first one matching a predicate. Used by end-to-end tests, benchmarks and simulations.
 */
export class ConsoleClient {
  readonly received: Array<{ readonly at: number; readonly message: ServerMessage }> = []
  private readonly waiters = new Set<{
    readonly test: (m: ServerMessage) => boolean
    readonly from: number
    readonly resolve: (m: ServerMessage) => void
  }>()
  private requestSeq = 0
  private readonly listeners = new Set<(m: ServerMessage) => void>()
  /** Settles when the connection is closed, by either side or by a network failure. */
  readonly closed: Promise<void>

  private constructor(private readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()))
    socket.on("message", (data: WebSocket.RawData) => {
      const decoded = decodeServerMessage(data.toString())
      if (Either.isLeft(decoded)) throw new Error(`undecodable server message: ${data.toString().slice(0, 200)}`)
      const message = decoded.right
      this.received.push({ at: Date.now(), message })
      for (const listener of this.listeners) listener(message)
      for (const w of this.waiters) {
        if (w.test(message)) {
          this.waiters.delete(w)
          w.resolve(message)
        }
      }
    })
  }

  static connect(baseUrl: string, token: string): Promise<ConsoleClient> {
    const url = `${baseUrl.replace(/^http/, "ws")}/ws?token=${encodeURIComponent(token)}`
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url)
      const client = new ConsoleClient(socket)
      socket.once("open", () => resolve(client))
      socket.once("error", reject)
      socket.once("unexpected-response", (_req, res) =>
        reject(new Error(`WebSocket refused with HTTP ${res.statusCode}`)),
      )
    })
  }

  /** Calls `listener` with every message from now on. */
  onMessage(listener: (m: ServerMessage) => void): void {
    this.listeners.add(listener)
  }

  /** Sends a command and returns its request id. */
  send(message: ClientMessage): string {
    const requestId = message.requestId ?? `r${++this.requestSeq}`
    if (this.socket.readyState !== WebSocket.OPEN) return requestId
    this.socket.send(encodeClientMessage({ ...message, requestId }))
    return requestId
  }

  /** Sends text as it is, as a broken or foreign console would. */
  sendRaw(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text)
  }

  /** The next message (from now, or from index `from` of `received`) matching `test`. */
  waitFor<M extends ServerMessage>(
    test: (m: ServerMessage) => m is M,
    options?: { readonly timeoutMs?: number; readonly from?: number; readonly what?: string },
  ): Promise<M>
  waitFor(
    test: (m: ServerMessage) => boolean,
    options?: { readonly timeoutMs?: number; readonly from?: number; readonly what?: string },
  ): Promise<ServerMessage>
  waitFor(
    test: (m: ServerMessage) => boolean,
    options?: { readonly timeoutMs?: number; readonly from?: number; readonly what?: string },
  ): Promise<ServerMessage> {
    const from = options?.from ?? this.received.length
    const seen = this.received.slice(from).find((r) => test(r.message))
    if (seen !== undefined) return Promise.resolve(seen.message)
    return new Promise((resolve, reject) => {
      const waiter = { test, from, resolve }
      this.waiters.add(waiter)
      setTimeout(() => {
        if (!this.waiters.delete(waiter)) return
        const last = this.received.slice(-5).map((r) => JSON.stringify(r.message).slice(0, 200))
        reject(new Error(`timed out waiting for ${options?.what ?? "a message"}; last messages:\n${last.join("\n")}`))
      }, options?.timeoutMs ?? 15_000)
    })
  }

  /** Sends a command and waits for its Ack, failing with the server's Failure if it was refused. */
  async command(message: ClientMessage, timeoutMs = 15_000): Promise<void> {
    const from = this.received.length
    const requestId = this.send(message)
    const reply = await this.waitFor((m) => (m._tag === "Ack" || m._tag === "Failure") && m.requestId === requestId, {
      from,
      timeoutMs,
      what: `the reply to ${message._tag}`,
    })
    if (reply._tag === "Failure") throw new Error(`${message._tag} refused: ${reply.code}: ${reply.message}`)
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve()
      this.socket.once("close", () => resolve())
      this.socket.close()
    })
  }
}

export type NotificationMessage = Extract<ServerMessage, { _tag: "Notification" }>
export type SnapshotMessage = Extract<ServerMessage, { _tag: "AgentSnapshot" }>
export const isNotification = (m: ServerMessage): m is NotificationMessage => m._tag === "Notification"
export const isSnapshot = (m: ServerMessage): m is SnapshotMessage => m._tag === "AgentSnapshot"
export const isInboundRing = (m: ServerMessage): m is NotificationMessage =>
  isNotification(m) && m.offer.kind === "inbound"

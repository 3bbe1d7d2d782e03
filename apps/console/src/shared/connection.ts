import { type ClientMessage, decodeServerMessage, encodeClientMessage, type ServerMessage } from "@ringmaster/protocol"
import { Either } from "effect"
import { backoffDelay } from "./backoff.js"

export type ConnectionStatus =
  | { readonly _tag: "connecting"; readonly attempt: number }
  | { readonly _tag: "open" }
  | { readonly _tag: "retrying"; readonly attempt: number; readonly at: number }
  | { readonly _tag: "signed-out"; readonly reason: string }

export type Reply = Extract<ServerMessage, { readonly _tag: "Ack" | "Failure" }>

export interface ConnectionOptions {
  readonly token: string
  readonly onMessage: (message: ServerMessage) => void
  readonly onStatus: (status: ConnectionStatus) => void
  /** Asked after a connection failed before it opened: is the token still good? */
  readonly checkToken: () => Promise<"ok" | "unauthorized" | "unreachable">
  readonly heartbeatMs?: number
  readonly silenceMs?: number
}

/**
 * The console's WebSocket to /ws: reconnects by itself with backoff after any loss (the server sends the
 * console's whole state again on every connection), pings to notice a connection that died silently, and
 * matches replies to commands by request id.
 */
export class ConsoleConnection {
  private socket: WebSocket | null = null
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private heartbeat: ReturnType<typeof setInterval> | null = null
  private lastHeard = 0
  private closed = false
  private nextRequest = 0
  private readonly pending = new Map<string, (reply: Reply) => void>()

  constructor(private readonly options: ConnectionOptions) {
    window.addEventListener("online", this.retryNow)
    this.open()
  }

  /** Sends a command and resolves with its Ack or Failure; a Failure also when the connection is down. */
  request(message: ClientMessage, timeoutMs = 10_000): Promise<Reply> {
    const requestId = `r${++this.nextRequest}`
    const failure = (code: string, text: string): Reply => ({ _tag: "Failure", requestId, code, message: text })
    const socket = this.socket
    if (socket === null || socket.readyState !== WebSocket.OPEN) {
      return Promise.resolve(failure("offline", "not connected to the server; the console is reconnecting"))
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId)
        resolve(failure("timeout", "the server did not answer in time"))
      }, timeoutMs)
      this.pending.set(requestId, (reply) => {
        clearTimeout(timer)
        resolve(reply)
      })
      socket.send(encodeClientMessage({ ...message, requestId }))
    })
  }

  close(): void {
    this.closed = true
    window.removeEventListener("online", this.retryNow)
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.stopHeartbeat()
    this.socket?.close()
    this.socket = null
  }

  private readonly retryNow = () => {
    if (this.closed || this.retryTimer === null) return
    clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.open()
  }

  private open(): void {
    if (this.closed) return
    this.options.onStatus({ _tag: "connecting", attempt: this.attempt })
    const scheme = location.protocol === "https:" ? "wss:" : "ws:"
    const socket = new WebSocket(`${scheme}//${location.host}/ws?token=${encodeURIComponent(this.options.token)}`)
    this.socket = socket
    let opened = false
    socket.addEventListener("open", () => {
      opened = true
      this.attempt = 0
      this.lastHeard = Date.now()
      this.startHeartbeat(socket)
      this.options.onStatus({ _tag: "open" })
    })
    socket.addEventListener("message", (event: MessageEvent<unknown>) => {
      this.lastHeard = Date.now()
      if (typeof event.data !== "string") return
      const decoded = decodeServerMessage(event.data)
      if (Either.isLeft(decoded)) return
      const message = decoded.right
      if ((message._tag === "Ack" || message._tag === "Failure") && message.requestId !== null) {
        const resolve = this.pending.get(message.requestId)
        this.pending.delete(message.requestId)
        resolve?.(message)
      }
      this.options.onMessage(message)
    })
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return
      this.socket = null
      this.stopHeartbeat()
      for (const [requestId, resolve] of this.pending) {
        resolve({ _tag: "Failure", requestId, code: "offline", message: "the connection was lost" })
      }
      this.pending.clear()
      if (this.closed) return
      void this.afterLoss(opened)
    })
  }

  private async afterLoss(wasOpen: boolean): Promise<void> {
    if (!wasOpen && (await this.options.checkToken()) === "unauthorized") {
      this.options.onStatus({ _tag: "signed-out", reason: "the session expired or the token was revoked" })
      this.closed = true
      return
    }
    if (this.closed) return
    const delay = backoffDelay(this.attempt, Math.random())
    this.options.onStatus({ _tag: "retrying", attempt: this.attempt + 1, at: Date.now() + delay })
    this.attempt++
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.open()
    }, delay)
  }

  private startHeartbeat(socket: WebSocket): void {
    const every = this.options.heartbeatMs ?? 10_000
    const silence = this.options.silenceMs ?? 25_000
    this.stopHeartbeat()
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastHeard > silence) {
        // nothing heard for too long: the connection is dead even if the browser has not noticed
        socket.close()
        socket.dispatchEvent(new CloseEvent("close"))
        return
      }
      if (socket.readyState === WebSocket.OPEN) socket.send(encodeClientMessage({ _tag: "Ping" }))
    }, every)
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat)
    this.heartbeat = null
  }
}

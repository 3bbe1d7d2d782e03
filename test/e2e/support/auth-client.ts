import WebSocket from "ws"

export interface Reply {
  readonly status: number
  readonly body: Record<string, unknown> | ReadonlyArray<unknown> | null
  readonly text: string
}

/** Every response body the helpers below received, so that a test can look for what must never be sent. */
export const receivedTexts: Array<string> = []

/** An HTTP client for the control plane; with no token it sends no Authorization header. */
export const http = (baseUrl: string, token?: string) => {
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    receivedTexts.push(text)
    let parsed: Reply["body"] = null
    if (text !== "" && (response.headers.get("content-type") ?? "").includes("json")) {
      parsed = JSON.parse(text) as Reply["body"]
    }
    return { status: response.status, body: parsed, text }
  }
  return {
    request: call,
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, body),
    put: (path: string, body: unknown) => call("PUT", path, body),
    patch: (path: string, body: unknown) => call("PATCH", path, body),
    del: (path: string) => call("DELETE", path),
  }
}

export interface Session {
  readonly token: string
  readonly expiresAt: number
  readonly user: {
    readonly id: string
    readonly role: string
    readonly agentId: string | null
    readonly tenantId: string
  }
}

export const login = async (baseUrl: string, tenant: string, username: string, password: string): Promise<Session> => {
  const reply = await http(baseUrl).post("/auth/login", { tenant, username, password })
  if (reply.status !== 200) throw new Error(`login of ${tenant}/${username} answered ${reply.status}: ${reply.text}`)
  return reply.body as unknown as Session
}

export interface OpenSocket {
  readonly socket: WebSocket
  readonly messages: Array<Record<string, unknown>>
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<{ readonly code: number; readonly reason: string }>
}

/** A raw console WebSocket: resolves once open, rejects with the HTTP status when the upgrade is refused. */
export const openSocket = (baseUrl: string, token: string): Promise<OpenSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws?token=${encodeURIComponent(token)}`)
    const messages: Array<Record<string, unknown>> = []
    socket.on("message", (data: WebSocket.RawData) =>
      messages.push(JSON.parse(data.toString()) as Record<string, unknown>),
    )
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.once("close", (code, reason) => done({ code, reason: reason.toString() })),
    )
    socket.once("open", () => resolve({ socket, messages, closed }))
    socket.once("unexpected-response", (_req, res) =>
      reject(new Error(`WebSocket refused with HTTP ${res.statusCode}`)),
    )
    socket.once("error", reject)
  })

/** Waits for `promise`, failing after `ms` with `what`. */
export const within = <A>(promise: Promise<A>, ms: number, what: string): Promise<A> =>
  Promise.race([
    promise,
    new Promise<A>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms),
    ),
  ])

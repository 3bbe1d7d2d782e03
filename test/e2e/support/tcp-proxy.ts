import { connect, createServer, type Socket } from "node:net"

/**
 * A TCP proxy in front of a server (the Ringmaster server for a browser under test, or PostgreSQL for a runner):
 * `cut()` drops every open connection and refuses new ones, as a lost network would; `restore()` lets connections
 * through again.
 */
export interface TcpProxy {
  readonly url: string
  readonly cut: () => void
  readonly restore: () => void
  readonly close: () => Promise<void>
}

export const startTcpProxy = async (
  target: URL,
  /** Where the proxy listens: a free port of 127.0.0.1 unless given. */
  listen: { readonly host: string; readonly port: number } = { host: "127.0.0.1", port: 0 },
): Promise<TcpProxy> => {
  const sockets = new Set<Socket>()
  let open = true
  const server = createServer((client) => {
    if (!open) {
      client.destroy()
      return
    }
    const upstream = connect(Number(target.port), target.hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on("close", () => sockets.delete(s))
      s.on("error", () => s.destroy())
    }
    client.pipe(upstream).pipe(client)
    client.on("close", () => upstream.destroy())
    upstream.on("close", () => client.destroy())
  })
  await new Promise<void>((ok) => server.listen(listen.port, listen.host, ok))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    url: `http://${listen.host}:${port}`,
    cut: () => {
      open = false
      for (const s of sockets) s.destroy()
    },
    restore: () => {
      open = true
    },
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy()
        server.close(() => ok())
      }),
  }
}

import { connect, createServer, type Socket } from "node:net"

/**
 * A TCP proxy in front of a server (the Ringmaster server for a browser under test, PostgreSQL or a runner's cluster
 * port for a runner): `cut()` drops every open connection and refuses new ones, as a link whose far end is gone;
 * `drop()` leaves every connection open but carries nothing more either way, and accepts new ones only to carry
 * nothing on them, as a partition that loses packets (nothing is refused, the other side just goes silent);
 * `restore()` lets new connections through again.
 */
export interface TcpProxy {
  readonly url: string
  readonly cut: () => void
  readonly drop: () => void
  readonly restore: () => void
  readonly close: () => Promise<void>
}

export const startTcpProxy = async (
  target: URL,
  /** Where the proxy listens: a free port of 127.0.0.1 unless given. */
  listen: { readonly host: string; readonly port: number } = { host: "127.0.0.1", port: 0 },
): Promise<TcpProxy> => {
  const sockets = new Set<Socket>()
  const pairs = new Set<readonly [Socket, Socket]>()
  let mode: "open" | "cut" | "dropped" = "open"
  const keep = (s: Socket) => {
    sockets.add(s)
    s.on("close", () => sockets.delete(s))
    s.on("error", () => s.destroy())
  }
  const silence = ([client, upstream]: readonly [Socket, Socket]) => {
    client.unpipe(upstream)
    upstream.unpipe(client)
    client.pause()
    upstream.pause()
  }
  const server = createServer((client) => {
    if (mode === "cut") {
      client.destroy()
      return
    }
    keep(client)
    if (mode === "dropped") {
      client.pause()
      return
    }
    const upstream = connect(Number(target.port), target.hostname)
    keep(upstream)
    const pair = [client, upstream] as const
    pairs.add(pair)
    client.pipe(upstream).pipe(client)
    client.on("close", () => {
      pairs.delete(pair)
      upstream.destroy()
    })
    upstream.on("close", () => client.destroy())
  })
  await new Promise<void>((ok) => server.listen(listen.port, listen.host, ok))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  const destroyAll = () => {
    for (const s of sockets) s.destroy()
  }
  return {
    url: `http://${listen.host}:${port}`,
    cut: () => {
      mode = "cut"
      destroyAll()
    },
    drop: () => {
      mode = "dropped"
      for (const pair of pairs) silence(pair)
    },
    restore: () => {
      mode = "open"
    },
    close: () =>
      new Promise((ok) => {
        destroyAll()
        server.close(() => ok())
      }),
  }
}

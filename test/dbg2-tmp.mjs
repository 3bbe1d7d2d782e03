import WebSocket from "ws"
for (let i = 0; i < 3; i++) {
  const t0 = Date.now()
  await new Promise((ok) => {
    const ws = new WebSocket("ws://127.0.0.1:3611/ws?token=demo-agent-grace-token")
    ws.on("open", () => console.log("open", Date.now() - t0))
    ws.on("message", (m) => { console.log("msg", Date.now() - t0, m.toString().slice(0, 40)); if (m.toString().includes("AgentSnapshot")) { ws.close(); ok() } })
  })
}

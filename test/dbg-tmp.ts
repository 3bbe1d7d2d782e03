import { chromium } from "playwright-core"
import { startTcpProxy } from "./browser/support/tcp-proxy.js"
const proxy = await startTcpProxy(new URL("http://127.0.0.1:3611"))
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu"] })
const ctx = await browser.newContext()
const agent = await ctx.newPage()
agent.on("console", (m) => console.log(Date.now() % 100000, "console:", m.type(), m.text()))
agent.on("websocket", (ws) => { console.log(Date.now() % 100000, "ws open", ws.url().slice(0, 40)); ws.on("close", () => console.log(Date.now() % 100000, "ws close")); ws.on("socketerror", (e) => console.log("ws err", e)) })
await agent.goto(`${proxy.url}/console/`)
await agent.getByRole("radio", { name: "With an API token" }).check()
await agent.getByRole("textbox", { name: "API token" }).fill("demo-agent-grace-token")
await agent.getByRole("button", { name: "Sign in" }).click()
await agent.waitForTimeout(3000)
console.log("cut"); proxy.cut()
for (let i = 0; i < 6; i++) { await agent.waitForTimeout(1000); console.log(Date.now() % 100000, await agent.locator(".banner").allTextContents()) }
console.log("restore"); proxy.restore()
for (let i = 0; i < 15; i++) { await agent.waitForTimeout(1000); console.log(Date.now() % 100000, await agent.locator(".banner").allTextContents(), await agent.getByTestId("connection").textContent()) }
await browser.close(); await proxy.close()

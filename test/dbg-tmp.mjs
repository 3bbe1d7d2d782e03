import { chromium } from "playwright-core"
const base = "http://127.0.0.1:3611"
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu"] })
const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } })
const agent = await ctx.newPage()
agent.on("console", (m) => console.log("console:", m.type(), m.text()))
agent.on("pageerror", (e) => console.log("pageerror:", e.message))
await agent.goto(`${base}/console/`)
await agent.getByRole("textbox", { name: "User name" }).fill("ada")
await agent.getByRole("textbox", { name: "Password" }).fill("not-her-password")
await agent.getByRole("button", { name: "Sign in" }).click()
await agent.waitForTimeout(8000)
console.log(await agent.locator("form").innerHTML())
await browser.close()

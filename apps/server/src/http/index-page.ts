import { HttpLayerRouter, HttpServerResponse } from "@effect/platform"

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ringmaster</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Ringmaster</h1>
<p>Lead distribution and dialing runtime.</p>
<ul>
<li><a href="/console/">Agent console</a> and <a href="/supervisor/">supervisor view</a></li>
<li><a href="/docs">Control plane API (OpenAPI)</a> — the document itself is at <a href="/openapi.json">/openapi.json</a></li>
<li><a href="/health">Health</a></li>
<li>Consoles connect to <code>/ws?token=…</code></li>
</ul>
</body></html>`

export const IndexRoute = HttpLayerRouter.add("GET", "/", HttpServerResponse.html(page))

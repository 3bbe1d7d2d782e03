import { FileSystem, HttpLayerRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { join, resolve } from "node:path"

/** Where `vite build` puts the console (apps/console/dist), seen from this module. */
export const defaultConsoleDist = resolve(import.meta.dirname, "../../../console/dist")

const contentTypes: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json",
  map: "application/json",
  woff2: "font/woff2",
  wav: "audio/wav",
}

const contentTypeOf = (name: string): string =>
  contentTypes[name.slice(name.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream"

/** Vite's asset names: hashed, flat, no path separators. Anything else is not ours to serve. */
const assetName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The console is not built</h1>
<p>Run <code>pnpm --filter @ringmaster/console build</code> (or start with <code>pnpm start</code>, which builds it).</p>
</body></html>`

/**
 * Serves the built console: the agent console at /console/, the supervisor view at /supervisor/, and their
 * shared assets at /console/assets/. Pages are revalidated on every load; assets carry a content hash in their
 * name, so browsers keep them.
 */
export const consoleStaticRoutes = (dist: string = defaultConsoleDist) =>
  HttpLayerRouter.use((router) =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem

      const serve = (
        path: string,
        cacheControl: string,
        missing: Effect.Effect<HttpServerResponse.HttpServerResponse>,
      ) =>
        fs.readFile(path).pipe(
          Effect.map((bytes) =>
            HttpServerResponse.uint8Array(bytes, {
              contentType: contentTypeOf(path),
              headers: { "cache-control": cacheControl, "x-content-type-options": "nosniff" },
            }),
          ),
          Effect.catchAll(() => missing),
        )

      const page = (name: "console" | "supervisor") =>
        serve(
          join(dist, name, "index.html"),
          "no-cache",
          HttpServerResponse.html(notBuilt).pipe(Effect.map(HttpServerResponse.setStatus(503))),
        )

      const asset = Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const pathname = new URL(request.url, "http://localhost").pathname
        const name = decodeURIComponent(pathname.slice("/console/assets/".length))
        const notFound = HttpServerResponse.text(`no asset ${JSON.stringify(name)}`, { status: 404 })
        if (!assetName.test(name)) return notFound
        return yield* serve(join(dist, "assets", name), "public, max-age=31536000, immutable", Effect.succeed(notFound))
      })

      // the router treats "/console" and "/console/" as one path
      yield* router.add("GET", "/console/", page("console"))
      yield* router.add("GET", "/supervisor/", page("supervisor"))
      yield* router.add("GET", "/console/assets/*", asset)
    }),
  )

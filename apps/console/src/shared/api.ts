import { Either, ParseResult, Schema } from "effect"

/** An HTTP answer other than 2xx, with the tagged body the control plane sends. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(ApiError.describe(status, body))
  }

  static describe(status: number, body: unknown): string {
    if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") {
      return body.message
    }
    return status === 401 ? "not signed in, or the session expired" : `the server answered ${status}`
  }
}

export interface Api {
  readonly get: <A, I>(path: string, schema: Schema.Schema<A, I>) => Promise<A>
  readonly send: <A, I>(
    method: "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body: unknown,
    schema: Schema.Schema<A, I>,
  ) => Promise<A>
  /** The raw response of a GET, for downloads. */
  readonly fetchRaw: (path: string) => Promise<Response>
}

const decode = <A, I>(schema: Schema.Schema<A, I>, path: string, json: unknown): A => {
  const result = Schema.decodeUnknownEither(schema)(json)
  if (Either.isLeft(result)) {
    throw new Error(
      `${path} answered in an unexpected shape: ${ParseResult.TreeFormatter.formatErrorSync(result.left)}`,
    )
  }
  return result.right
}

/** The control plane, as the signed-in user: every call carries the bearer token; answers are decoded. */
export const makeApi = (token: string, base = ""): Api => {
  const request = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    let json: unknown = null
    try {
      json = text === "" ? null : JSON.parse(text)
    } catch {
      json = text
    }
    if (!response.ok) throw new ApiError(response.status, json)
    return json
  }
  return {
    get: async (path, schema) => decode(schema, path, await request("GET", path)),
    send: async (method, path, body, schema) => decode(schema, path, await request(method, path, body)),
    fetchRaw: async (path) => {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })
      if (!response.ok) {
        const text = await response.text()
        let json: unknown = text
        try {
          json = JSON.parse(text)
        } catch {
          // a plain-text error
        }
        throw new ApiError(response.status, json)
      }
      return response
    },
  }
}

/** Whether a token is accepted: "/auth/me" where the server has it, else an endpoint every role may read. */
export const checkToken = async (token: string, base = ""): Promise<"ok" | "unauthorized" | "unreachable"> => {
  const probe = (path: string) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.status,
      () => 0,
    )
  let status = await probe("/auth/me")
  if (status === 404) status = await probe("/dispositions")
  if (status === 0 || status >= 500) return "unreachable"
  return status === 401 ? "unauthorized" : "ok"
}

/** Saves a downloaded response as a file, as a link the user clicked would. */
export const saveResponse = async (response: Response, fallbackName: string): Promise<void> => {
  const disposition = response.headers.get("content-disposition") ?? ""
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement("a")
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

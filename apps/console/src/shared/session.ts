import { Schema } from "effect"
import { ApiError, checkToken } from "./api.js"

const storageKey = "ringmaster.session"

/** What the console keeps of a login, in this tab's session storage. */
export interface Session {
  readonly token: string
  readonly kind: "password" | "token"
}

const StoredSession = Schema.parseJson(
  Schema.Struct({ token: Schema.String, kind: Schema.Literal("password", "token") }),
)

export const loadSession = (): Session | null => {
  const raw = sessionStorage.getItem(storageKey)
  if (raw === null) return null
  try {
    return Schema.decodeUnknownSync(StoredSession)(raw)
  } catch {
    sessionStorage.removeItem(storageKey)
    return null
  }
}

const saveSession = (session: Session): Session => {
  sessionStorage.setItem(storageKey, Schema.encodeSync(StoredSession)(session))
  return session
}

const LoginAnswer = Schema.Struct({ token: Schema.String })

/** POST /auth/login; a clear message when the credentials are refused or the server has no password login. */
export const loginWithPassword = async (tenant: string, username: string, password: string): Promise<Session> => {
  const response = await fetch("/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ tenant, username, password }),
  })
  const text = await response.text()
  let json: unknown = null
  try {
    json = text === "" ? null : JSON.parse(text)
  } catch {
    json = text
  }
  if (response.status === 404 && (json === null || typeof json === "string")) {
    throw new Error("this server has no password login yet: sign in with an API token")
  }
  if (response.status === 401) throw new Error("the tenant, user name or password is not right")
  if (!response.ok) throw new ApiError(response.status, json)
  const { token } = Schema.decodeUnknownSync(LoginAnswer)(json)
  return saveSession({ token, kind: "password" })
}

export const loginWithToken = async (token: string): Promise<Session> => {
  const trimmed = token.trim()
  if (trimmed === "") throw new Error("the token is empty")
  const status = await checkToken(trimmed)
  if (status === "unauthorized") throw new Error("this token is unknown, expired or revoked")
  if (status === "unreachable") throw new Error("the server cannot be reached; try again")
  return saveSession({ token: trimmed, kind: "token" })
}

/** Revokes a password session on the server (an API token stays valid) and forgets it here. */
export const logout = async (session: Session): Promise<void> => {
  sessionStorage.removeItem(storageKey)
  if (session.kind === "password") {
    await fetch("/auth/logout", { method: "POST", headers: { authorization: `Bearer ${session.token}` } }).catch(
      () => undefined,
    )
  }
}

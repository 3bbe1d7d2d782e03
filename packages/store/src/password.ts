import { Effect, Redacted } from "effect"
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"

/** scrypt cost: N = 2^ln, block size r, parallelism p. The defaults are OWASP's (128 MiB, about 0.2 s here). */
export interface ScryptParams {
  readonly ln: number
  readonly r: number
  readonly p: number
}

export const defaultScryptParams: ScryptParams = { ln: 17, r: 8, p: 1 }

const saltBytes = 16
const keyBytes = 32

/** Bounds on what a stored hash may ask for, so that a tampered row cannot make a login eat the machine. */
const withinBounds = ({ ln, r, p }: ScryptParams) =>
  Number.isInteger(ln) && ln >= 10 && ln <= 20 && Number.isInteger(r) && r >= 1 && r <= 32 && p >= 1 && p <= 16

const derive = (password: string, salt: Buffer, length: number, params: ScryptParams) =>
  Effect.async<Buffer>((resume) => {
    const N = 2 ** params.ln
    // scrypt needs 128 * N * r bytes (plus a little); node refuses above maxmem, 32 MiB by default.
    const maxmem = 256 * N * params.r
    scrypt(password.normalize("NFC"), salt, length, { N, r: params.r, p: params.p, maxmem }, (error, key) =>
      resume(error === null ? Effect.succeed(key) : Effect.die(error)),
    )
  })

const b64 = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "")

/**
 * The PHC string of `password`: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64 without padding). Parameters and a
 * fresh random salt are stored with the hash, so a later change of the defaults still verifies old hashes.
 */
export const hashPassword = (password: Redacted.Redacted<string>, params: ScryptParams = defaultScryptParams) =>
  Effect.gen(function* () {
    if (!withinBounds(params))
      return yield* Effect.dieMessage(`scrypt parameters out of bounds: ${JSON.stringify(params)}`)
    const salt = randomBytes(saltBytes)
    const key = yield* derive(Redacted.value(password), salt, keyBytes, params)
    return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`
  })

export interface ParsedHash {
  readonly params: ScryptParams
  readonly salt: Buffer
  readonly key: Buffer
}

const phc = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/

export const parsePasswordHash = (stored: string): ParsedHash | null => {
  const m = phc.exec(stored)
  if (m === null) return null
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }
  const salt = Buffer.from(m[4] ?? "", "base64")
  const key = Buffer.from(m[5] ?? "", "base64")
  if (!withinBounds(params) || salt.length < 8 || key.length < 16) return null
  return { params, salt, key }
}

/**
 * Whether `password` matches `stored`, compared in constant time. A missing or unreadable hash (a user who never
 * had a password) still costs one scrypt at the default parameters, so the answer time does not tell it apart.
 */
export const verifyPassword = (password: Redacted.Redacted<string>, stored: string | null) =>
  Effect.gen(function* () {
    const parsed = stored === null ? null : parsePasswordHash(stored)
    if (parsed === null) {
      yield* derive(Redacted.value(password), randomBytes(saltBytes), keyBytes, defaultScryptParams)
      return false
    }
    const key = yield* derive(Redacted.value(password), parsed.salt, parsed.key.length, parsed.params)
    return timingSafeEqual(key, parsed.key)
  })

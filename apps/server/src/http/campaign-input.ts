import { AmdMode, type E164, type FieldIssue, parsePhone, type Region } from "@ringmaster/domain"
import type { CampaignInput, CampaignView } from "@ringmaster/protocol"
import type { CampaignRow, CampaignSettings } from "@ringmaster/store"
import { Either, Schema } from "effect"

/** The preset dial ratios (dials per available agent): conservative, balanced, aggressive. */
export const DIAL_RATIO_PRESETS = [1.5, 2, 3] as const
export const MAX_LINES = 1_000
/** The longest message the carrier speaks in one command. */
const MAX_MESSAGE = 3_000
const DEFAULT_ABANDON_MESSAGE = "Sorry we missed you. We will call you back shortly."

const issue = (field: string, value: string, why: string): FieldIssue => ({
  field,
  value,
  message: `${field}: "${value}" ${why}`,
})

const isAmdMode = Schema.is(AmdMode)

/**
 * A campaign's settings after applying `input` over `current` (null when creating: name and callerId are then
 * required), or the first field that cannot be taken.
 */
export const campaignSettingsOf = (
  input: CampaignInput,
  current: CampaignSettings | null,
  defaults: { readonly region: Region; readonly dialRatio: number },
): Either.Either<CampaignSettings, FieldIssue> => {
  const name = input.name?.trim() ?? current?.name
  if (name === undefined) return Either.left(issue("name", "", "is required"))
  if (name === "" || name.length > 200)
    return Either.left(issue("name", input.name ?? "", "must be 1 to 200 characters"))

  const mode = input.mode ?? current?.mode ?? "manual"
  if (mode !== "manual" && mode !== "auto") return Either.left(issue("mode", mode, "must be manual or auto"))

  let dialRatio = current?.dialRatio ?? nearestPreset(defaults.dialRatio)
  let pacing = current?.pacing ?? "preset"
  if (input.dialRatio !== undefined) {
    const raw = input.dialRatio
    if (raw === "adaptive") pacing = "adaptive"
    else {
      const n = typeof raw === "number" ? raw : Number(raw)
      if (!DIAL_RATIO_PRESETS.some((p) => p === n)) {
        return Either.left(issue("dialRatio", String(raw), 'must be 1.5, 2, 3 or "adaptive"'))
      }
      dialRatio = n
      pacing = "preset"
    }
  }

  const amdMode = input.amdMode ?? current?.amdMode ?? "detect"
  if (!isAmdMode(amdMode)) return Either.left(issue("amdMode", amdMode, "must be disabled, detect or detect_beep"))

  const maxLines = input.maxLines ?? current?.maxLines ?? 100
  if (!Number.isInteger(maxLines) || maxLines < 1 || maxLines > MAX_LINES) {
    return Either.left(issue("maxLines", String(maxLines), `must be a whole number from 1 to ${MAX_LINES}`))
  }

  const amdNotSure = input.amdNotSure ?? current?.amdNotSure ?? "human"
  if (amdNotSure !== "human" && amdNotSure !== "machine") {
    return Either.left(issue("amdNotSure", amdNotSure, "must be human or machine"))
  }
  const machineMessage = input.machineMessage === undefined ? (current?.machineMessage ?? null) : input.machineMessage
  if (machineMessage !== null && (machineMessage.trim() === "" || machineMessage.length > MAX_MESSAGE)) {
    return Either.left(
      issue("machineMessage", machineMessage.slice(0, 60), `must be 1 to ${MAX_MESSAGE} characters, or null`),
    )
  }
  const abandonMessage = input.abandonMessage ?? current?.abandonMessage ?? DEFAULT_ABANDON_MESSAGE
  if (abandonMessage.trim() === "" || abandonMessage.length > MAX_MESSAGE) {
    return Either.left(issue("abandonMessage", abandonMessage.slice(0, 60), `must be 1 to ${MAX_MESSAGE} characters`))
  }

  let callerId: E164
  if (input.callerId !== undefined) {
    const parsed = parsePhone(input.callerId, defaults.region, "callerId")
    if (Either.isLeft(parsed))
      return Either.left({ field: "callerId", value: input.callerId, message: parsed.left.message })
    callerId = parsed.right
  } else if (current !== null) callerId = current.callerId
  else return Either.left(issue("callerId", "", "is required: the number the campaign's dials show"))

  return Either.right({
    name,
    mode,
    dialRatio,
    pacing,
    amdMode,
    maxLines,
    amdNotSure,
    machineMessage,
    abandonMessage,
    callerId,
  })
}

/** The preset closest to a tenant's default ratio (which may be any number from 1 to 5). */
const nearestPreset = (ratio: number): number =>
  DIAL_RATIO_PRESETS.reduce((best, p) => (Math.abs(p - ratio) < Math.abs(best - ratio) ? p : best), 2)

export const campaignView = (c: CampaignRow): CampaignView => ({
  id: c.id,
  name: c.name,
  mode: c.mode,
  dialRatio: c.pacing === "adaptive" ? "adaptive" : asPreset(c.dialRatio),
  amdMode: c.amdMode,
  maxLines: c.maxLines,
  amdNotSure: c.amdNotSure,
  machineMessage: c.machineMessage,
  abandonMessage: c.abandonMessage,
  callerId: c.callerId,
  status: c.paused ? "paused" : "active",
  pausedAt: c.pausedAt,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
})

const asPreset = (ratio: number): 1.5 | 2 | 3 => (ratio <= 1.75 ? 1.5 : ratio < 2.5 ? 2 : 3)

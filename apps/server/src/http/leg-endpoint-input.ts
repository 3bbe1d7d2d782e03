import { type FieldIssue, parsePhone, type Region } from "@ringmaster/domain"
import { type LegEndpoint, SipUri } from "@ringmaster/protocol"
import { Either, Schema } from "effect"

/** The longest SIP URI an agent's leg may be dialled at. */
export const SIP_URI_MAX = 255

const FIELD = "legEndpoint"
const URI_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/
const isSipUri = Schema.is(SipUri)

const issue = (value: string, why: string): FieldIssue => ({
  field: FIELD,
  value,
  message: `${FIELD}: "${value}" ${why}`,
})

/**
 * Where an agent's leg is dialled: a phone number in any common format (read in the tenant's `region`, stored in
 * E.164), a SIP URI (`sip:user@host`, or `sips:`), or null for none. Refusals name the field and the value given.
 */
export const checkLegEndpoint = (raw: string | null, region: Region): Either.Either<LegEndpoint | null, FieldIssue> => {
  if (raw === null) return Either.right(null)
  const text = raw.trim()
  if (text === "") return Either.left(issue(raw, "is empty: give a phone number or a sip: URI, or null to clear it"))
  const scheme = URI_SCHEME.exec(text)?.[1]?.toLowerCase()
  if (scheme === undefined) {
    const phone = parsePhone(text, region, FIELD)
    return Either.isRight(phone)
      ? Either.right(phone.right)
      : Either.left(
          issue(raw, `is neither a valid phone number (default region ${region}) nor a SIP URI (sip:user@host)`),
        )
  }
  if (scheme !== "sip" && scheme !== "sips") {
    return Either.left(issue(raw, "is not a SIP URI: only sip: (or sips:) addresses can be dialled"))
  }
  if (text.length > SIP_URI_MAX) return Either.left(issue(raw, `is longer than ${SIP_URI_MAX} characters`))
  if (/\s/.test(text)) return Either.left(issue(raw, "must not contain spaces"))
  // The scheme is case-insensitive (RFC 3261); it is stored in lower case.
  const uri = `${scheme}${text.slice(scheme.length)}`
  return isSipUri(uri) ? Either.right(uri) : Either.left(issue(raw, "is not a SIP URI of the form sip:user@host"))
}

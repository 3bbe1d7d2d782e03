import {
  CampaignId,
  type E164,
  type FieldIssue,
  isTimeZone,
  type LeadStatusId,
  LeadTypeId,
  parsePhone,
  type Region,
} from "@ringmaster/domain"
import type { LeadTypeRow } from "@ringmaster/store"

/** What a lead's fields must be, checked the same way for one lead, a bulk row and an edit. */
export const NAME_MAX = 200
export const NOTES_MAX = 10_000
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const issue = (field: string, value: string, why: string): FieldIssue => ({
  field,
  value,
  message: `${field}: "${value}" ${why}`,
})

export const checkName = (raw: string): FieldIssue | string => {
  const name = raw.trim()
  if (name === "") return issue("name", raw, "must not be empty")
  if (name.length > NAME_MAX) return issue("name", raw, `is longer than ${NAME_MAX} characters`)
  return name
}

export const checkPhone = (raw: string, region: Region): FieldIssue | E164 => {
  const phone = parsePhone(raw, region, "phone")
  return phone._tag === "Left" ? { field: "phone", value: raw, message: phone.left.message } : phone.right
}

/** An email, or null for none (absent, null or blank). */
export const checkEmail = (raw: string | null | undefined): FieldIssue | string | null => {
  const email = raw?.trim() ?? ""
  if (email === "") return null
  return EMAIL.test(email) ? email : issue("email", email, "is not an email address")
}

export const checkNotes = (raw: string | undefined): FieldIssue | string => {
  const notes = raw ?? ""
  return notes.length > NOTES_MAX
    ? issue("notes", `${notes.slice(0, 40)}…`, `is longer than ${NOTES_MAX} characters`)
    : notes
}

/** An IANA time zone, or null for "from the number". */
export const checkTimeZone = (raw: string | null): FieldIssue | string | null => {
  if (raw === null || raw.trim() === "") return null
  return isTimeZone(raw.trim())
    ? raw.trim()
    : issue("timeZone", raw, 'is not an IANA time zone (e.g. "America/Chicago")')
}

export const isIssue = (x: unknown): x is FieldIssue =>
  typeof x === "object" && x !== null && "field" in x && "message" in x

export interface NewLeadInput {
  readonly name: string
  readonly phone: string
  readonly leadTypeId: string
  readonly campaignId: string
  readonly email?: string | null | undefined
  readonly notes?: string | undefined
}

export interface CheckedLead {
  readonly name: string
  readonly phone: E164
  readonly email: string | null
  readonly notes: string
  readonly campaignId: CampaignId
  readonly leadTypeId: LeadTypeId
  readonly statusId: LeadStatusId
}

/** Every problem of one new lead (empty when it is good), or the lead ready to insert. */
export const checkNewLead = (
  input: NewLeadInput,
  tenant: {
    readonly region: Region
    /** The tenant's campaigns; null when the campaign is checked as the lead is written. */
    readonly campaignIds: ReadonlySet<string> | null
    readonly leadTypes: ReadonlyMap<LeadTypeId, LeadTypeRow>
  },
): { readonly issues: ReadonlyArray<FieldIssue>; readonly lead: CheckedLead | null } => {
  const name = checkName(input.name)
  const phone = checkPhone(input.phone, tenant.region)
  const email = checkEmail(input.email)
  const notes = checkNotes(input.notes)
  const leadType = tenant.leadTypes.get(LeadTypeId.make(input.leadTypeId))
  const issues: Array<FieldIssue> = []
  for (const x of [name, phone, email, notes]) if (isIssue(x)) issues.push(x)
  if (tenant.campaignIds !== null && !tenant.campaignIds.has(input.campaignId)) {
    issues.push(issue("campaignId", input.campaignId, "is not a campaign of this tenant"))
  }
  if (leadType === undefined) issues.push(issue("leadTypeId", input.leadTypeId, "is not a lead type of this tenant"))
  if (
    issues.length > 0 ||
    leadType === undefined ||
    isIssue(name) ||
    isIssue(phone) ||
    isIssue(email) ||
    isIssue(notes)
  ) {
    return { issues, lead: null }
  }
  return {
    issues: [],
    lead: {
      name,
      phone,
      email,
      notes,
      campaignId: CampaignId.make(input.campaignId),
      leadTypeId: leadType.id,
      statusId: leadType.initialStatusId,
    },
  }
}

/**
 * The opt-out keywords of the US carriers and the CTIA's messaging principles, upper case. A text that is one of them
 * and nothing else asks not to be contacted again.
 */
export const smsOptOutKeywords = [
  "STOP",
  "STOPALL",
  "STOP ALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "OPTOUT",
  "OPT OUT",
  "OPT-OUT",
  "REVOKE",
] as const
export type SmsOptOutKeyword = (typeof smsOptOutKeywords)[number]

const keywords: ReadonlySet<string> = new Set(smsOptOutKeywords)
const isKeyword = (words: string): words is SmsOptOutKeyword => keywords.has(words)

const trailingPunctuation = /[\s\p{P}]+$/u

/**
 * The opt-out keyword an inbound SMS is, or undefined. Matched as carriers match it: the whole message is the keyword,
 * in any case, with surrounding whitespace and trailing punctuation ignored ("Stop." is one, "please stop" is not).
 * Compatibility forms are folded first, so full-width letters typed on an Asian keyboard ("ＳＴＯＰ") count too.
 */
export const smsOptOutKeyword = (text: string): SmsOptOutKeyword | undefined => {
  const words = text.normalize("NFKC").trim().replace(trailingPunctuation, "").replace(/\s+/gu, " ").toUpperCase()
  return isKeyword(words) ? words : undefined
}

/** Whether an inbound SMS asks not to be contacted again (see `smsOptOutKeyword`). */
export const isSmsOptOut = (text: string): boolean => smsOptOutKeyword(text) !== undefined

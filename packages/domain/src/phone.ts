import { Either, Schema } from "effect"
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max"

/** A phone number in E.164 form: "+" then 8 to 15 digits. */
export const E164 = Schema.String.pipe(Schema.pattern(/^\+[1-9]\d{7,14}$/), Schema.brand("E164"))
export type E164 = typeof E164.Type

/** An ISO 3166 two-letter region used for numbers given without a country code. */
export const Region = Schema.String.pipe(Schema.pattern(/^[A-Z]{2}$/), Schema.brand("Region"))
export type Region = typeof Region.Type

export class InvalidPhoneNumber extends Schema.TaggedError<InvalidPhoneNumber>()("InvalidPhoneNumber", {
  field: Schema.String,
  value: Schema.String,
  message: Schema.String,
}) {}

/**
 * Parse a phone number typed in any common form ("(415) 555-2671", "+44 20 7946 0958",
 * "00 33 1 42 68 53 00") into E.164, using `region` when no country code is given.
 * Refuses numbers that are not valid for their region, naming the field and the value.
 */
export const parsePhone = (value: string, region: Region, field = "phone"): Either.Either<E164, InvalidPhoneNumber> => {
  const trimmed = value.trim()
  const normalised = trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed
  const parsed = parsePhoneNumberFromString(normalised, region as CountryCode)
  if (parsed === undefined || !parsed.isValid()) {
    return Either.left(
      new InvalidPhoneNumber({
        field,
        value,
        message: `${field}: "${value}" is not a valid phone number (default region ${region})`,
      }),
    )
  }
  return Either.right(E164.make(parsed.number))
}

/** The region (ISO 3166) a valid E.164 number belongs to, when one can be told. */
export const regionOf = (phone: E164): Region | undefined => {
  const country = parsePhoneNumberFromString(phone)?.country
  return country === undefined ? undefined : Region.make(country)
}

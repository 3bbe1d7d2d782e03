import { CallId } from "@ringmaster/domain"
import type { CallDirection } from "@ringmaster/protocol"
import { Option, Schema } from "effect"

/**
 * What we store in Telnyx's `client_state` (base64 text echoed back on every later webhook of the leg): our call id,
 * and the direction of the leg, since Telnyx says it only on `call.initiated`. An outbound dial stores the plain
 * call id; an inbound call we answer stores `inbound:<callId>`. A call id that itself starts with a marker is stored
 * as `outbound:<callId>`, so every pair round-trips.
 */
export interface ClientState {
  readonly callId: CallId
  readonly direction: CallDirection
}

const inboundMarker = "inbound:"
const outboundMarker = "outbound:"
const isCallId = Schema.is(CallId)

const toText = ({ callId, direction }: ClientState): string => {
  if (direction === "inbound") return `${inboundMarker}${callId}`
  const marked = callId.startsWith(inboundMarker) || callId.startsWith(outboundMarker)
  return marked ? `${outboundMarker}${callId}` : callId
}

const fromText = (text: string): ClientState | undefined => {
  const [direction, rest] = text.startsWith(inboundMarker)
    ? (["inbound", text.slice(inboundMarker.length)] as const)
    : text.startsWith(outboundMarker)
      ? (["outbound", text.slice(outboundMarker.length)] as const)
      : (["outbound", text] as const)
  return isCallId(rest) ? { callId: rest, direction } : undefined
}

export const encodeClientState = (state: ClientState): string => Buffer.from(toText(state), "utf8").toString("base64")

/** Our call id and leg direction from a `client_state`; none when it is absent or was not written by us. */
export const decodeClientState = (clientState: string | undefined): Option.Option<ClientState> => {
  if (clientState === undefined || clientState === "") return Option.none()
  const bytes = Buffer.from(clientState, "base64")
  // Buffer's decoder skips characters it does not know: a value that does not re-encode to itself is not base64.
  if (bytes.toString("base64") !== clientState) return Option.none()
  try {
    return Option.fromNullable(fromText(new TextDecoder("utf-8", { fatal: true }).decode(bytes)))
  } catch {
    return Option.none()
  }
}

import { html, nothing } from "lit-html"
import type { ConnectionStatus } from "./connection.js"

/** The strip that says the console is not connected, and when it tries again. */
export const connectionBanner = (status: ConnectionStatus, now: number) => {
  switch (status._tag) {
    case "open":
      return nothing
    case "connecting":
      return status.attempt === 0
        ? html`<div class="banner" role="status">Connecting…</div>`
        : html`<div class="banner warn" role="status" data-testid="reconnecting">Reconnecting…</div>`
    case "retrying":
      return html`<div class="banner warn" role="status" data-testid="reconnecting">
        Connection lost. Reconnecting in ${Math.max(0, Math.ceil((status.at - now) / 1000))} s (attempt
        ${status.attempt})…
      </div>`
    case "signed-out":
      return html`<div class="banner error" role="alert">${status.reason}</div>`
  }
}

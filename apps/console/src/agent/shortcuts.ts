export type ShortcutAction = "accept" | "ignore" | "hangup" | "online" | "break" | "offline" | "outcome" | "help"

export interface KeyPress {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
  /** The focus is in a field that takes text: letters are typed, not commands. */
  readonly typing: boolean
}

/** The single-key shortcuts of the agent console, as shown in its legend. */
export const shortcuts: ReadonlyArray<{
  readonly key: string
  readonly action: ShortcutAction
  readonly label: string
}> = [
  { key: "A", action: "accept", label: "Accept the notification" },
  { key: "I", action: "ignore", label: "Ignore the notification" },
  { key: "H", action: "hangup", label: "Hang up" },
  { key: "R", action: "outcome", label: "Go to the outcome form" },
  { key: "O", action: "online", label: "Go Online" },
  { key: "B", action: "break", label: "Take a break" },
  { key: "F", action: "offline", label: "Go Offline" },
  { key: "?", action: "help", label: "Show or hide these shortcuts" },
]

/** The action a key press asks for, or null: never while typing, never with Ctrl, Cmd or Alt held. */
export const shortcutFor = (press: KeyPress): ShortcutAction | null => {
  if (press.typing || press.ctrlKey || press.metaKey || press.altKey) return null
  const key = press.key.length === 1 ? press.key.toUpperCase() : press.key
  return shortcuts.find((s) => s.key === key)?.action ?? null
}

/** Whether an element takes typed text (so letters must reach it). */
export const takesText = (element: Element | null): boolean => {
  if (element === null) return false
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true
  if (element instanceof HTMLInputElement) {
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(element.type)
  }
  return element instanceof HTMLElement && element.isContentEditable
}

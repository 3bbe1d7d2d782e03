let context: AudioContext | null = null

/** Browsers start audio only after a user gesture: call this from one (the login, a click) to allow beeps later. */
export const unlockAudio = (): void => {
  try {
    context ??= new AudioContext()
    void context.resume()
  } catch {
    context = null
  }
}

/** Two short rising tones: a notification arrived. Silent where Web Audio is unavailable. */
export const beep = (): void => {
  try {
    context ??= new AudioContext()
    const ctx = context
    void ctx.resume()
    const start = ctx.currentTime
    for (const [offset, frequency] of [
      [0, 880],
      [0.18, 1175],
    ] as const) {
      const oscillator = ctx.createOscillator()
      const gain = ctx.createGain()
      oscillator.type = "sine"
      oscillator.frequency.value = frequency
      gain.gain.setValueAtTime(0.0001, start + offset)
      gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.15)
      oscillator.connect(gain).connect(ctx.destination)
      oscillator.start(start + offset)
      oscillator.stop(start + offset + 0.16)
    }
  } catch {
    // no audio device: the card and the announcement still show the notification
  }
}

/**
 * The simulated clock's agenda: events ordered by time, and by scheduling order among events at the same time,
 * so a run never depends on how the heap happens to break ties.
 */
export class EventQueue<E> {
  private readonly times: Array<number> = []
  private readonly seqs: Array<number> = []
  private readonly events: Array<E> = []
  private nextSeq = 0

  get size(): number {
    return this.events.length
  }

  push(time: number, event: E): void {
    this.times.push(time)
    this.seqs.push(this.nextSeq++)
    this.events.push(event)
    this.siftUp(this.events.length - 1)
  }

  /** The earliest event and its time, or undefined when none is left. */
  pop(): { readonly time: number; readonly event: E } | undefined {
    const last = this.events.length - 1
    if (last < 0) return undefined
    const time = this.times[0] as number
    const event = this.events[0] as E
    this.swap(0, last)
    this.times.pop()
    this.seqs.pop()
    this.events.pop()
    this.siftDown(0)
    return { time, event }
  }

  private before(i: number, j: number): boolean {
    const ti = this.times[i] as number
    const tj = this.times[j] as number
    return ti < tj || (ti === tj && (this.seqs[i] as number) < (this.seqs[j] as number))
  }

  private swap(i: number, j: number): void {
    ;[this.times[i], this.times[j]] = [this.times[j] as number, this.times[i] as number]
    ;[this.seqs[i], this.seqs[j]] = [this.seqs[j] as number, this.seqs[i] as number]
    ;[this.events[i], this.events[j]] = [this.events[j] as E, this.events[i] as E]
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(i, parent)) return
      this.swap(i, parent)
      i = parent
    }
  }

  private siftDown(i: number): void {
    const n = this.events.length
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let first = i
      if (left < n && this.before(left, first)) first = left
      if (right < n && this.before(right, first)) first = right
      if (first === i) return
      this.swap(i, first)
      i = first
    }
  }
}

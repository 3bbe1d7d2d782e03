import type { LeadId } from "./ids.js"
import { compareQueueEntries, type QueueEntry } from "./queue-order.js"

const defaultChunkCapacity = 512
/** `insertAll` sorts the whole queue again when it adds at least one entry for every this many queued. */
const rebuildShare = 8

/**
 * A campaign's ready leads, keyed by lead id and kept in queue order (`compareQueueEntries`).
 *
 * Mutable and built for a million entries: the entries live in a list of sorted chunks of bounded size
 * (the layout of Python's `sortedcontainers`). Finding a place is two binary searches, and inserting or
 * removing moves at most one chunk's worth of references, so insert, remove and pop cost O(log n) plus a
 * bounded copy. Do not change the queue while iterating over it, and keep times finite (NaN breaks any order).
 */
export class ReadyQueue<E extends QueueEntry = QueueEntry> implements Iterable<E> {
  /** Sorted, non-empty chunks; together they hold every entry in order. */
  private chunks: Array<Array<E>> = []
  private readonly byId = new Map<LeadId, E>()
  private readonly capacity: number

  /** `chunkCapacity` only tunes the layout (tests use a small one to exercise splits and merges). */
  constructor(options?: { readonly chunkCapacity?: number }) {
    this.capacity = Math.max(4, Math.floor(options?.chunkCapacity ?? defaultChunkCapacity))
  }

  static from<E extends QueueEntry>(
    entries: Iterable<E>,
    options?: { readonly chunkCapacity?: number },
  ): ReadyQueue<E> {
    const queue = new ReadyQueue<E>(options)
    queue.insertAll(entries)
    return queue
  }

  /**
   * Adds every entry, as `insert` would one after the other (the last of a lead id wins). When the entries are many
   * beside what is queued (into an empty queue: a campaign starts with up to a million ready leads; or a supervisor's
   * edit that moves a whole status), the queue is sorted once and cut into chunks again, instead of each entry being
   * placed.
   */
  insertAll(entries: Iterable<E>): void {
    const batch = Array.from(entries)
    if (batch.length * rebuildShare < this.byId.size) {
      for (const entry of batch) this.insert(entry)
      return
    }
    for (const entry of batch) this.byId.set(entry.leadId, entry)
    const sorted = Array.from(this.byId.values()).sort(compareQueueEntries)
    const half = this.capacity >> 1
    this.chunks = []
    for (let i = 0; i < sorted.length; i += half) this.chunks.push(sorted.slice(i, i + half))
  }

  get size(): number {
    return this.byId.size
  }

  has(leadId: LeadId): boolean {
    return this.byId.has(leadId)
  }

  get(leadId: LeadId): E | undefined {
    return this.byId.get(leadId)
  }

  /** Adds the entry, replacing (and re-placing) any entry with the same lead id. */
  insert(entry: E): void {
    if (this.byId.has(entry.leadId)) this.remove(entry.leadId)
    this.byId.set(entry.leadId, entry)
    const c = this.chunkFor(entry)
    const chunk = this.chunks[c]
    if (chunk === undefined) {
      this.chunks.push([entry])
      return
    }
    chunk.splice(lowerBound(chunk, entry), 0, entry)
    if (chunk.length > this.capacity) this.split(c)
  }

  /** Removes and returns the entry of this lead, if queued. */
  remove(leadId: LeadId): E | undefined {
    const entry = this.byId.get(leadId)
    if (entry === undefined) return undefined
    this.byId.delete(leadId)
    const c = this.chunkFor(entry)
    const chunk = this.chunks[c]
    if (chunk === undefined) return entry
    const i = lowerBound(chunk, entry)
    if (chunk[i] === entry) this.deleteAt(c, i)
    return entry
  }

  /** The first entry in queue order, left in place. */
  peek(): E | undefined {
    return this.chunks[0]?.[0]
  }

  /** Removes and returns the first entry in queue order. */
  pop(): E | undefined {
    const first = this.chunks[0]?.[0]
    if (first === undefined) return undefined
    this.byId.delete(first.leadId)
    this.deleteAt(0, 0)
    return first
  }

  /** The first `n` entries in queue order, left in place. */
  take(n: number): ReadonlyArray<E> {
    const out: Array<E> = []
    if (!(n > 0)) return out
    for (const entry of this) {
      out.push(entry)
      if (out.length >= n) break
    }
    return out
  }

  /** The first entry in queue order that satisfies `pred`; stops at the first match. */
  findFirst(pred: (e: E) => boolean): E | undefined {
    for (const entry of this) if (pred(entry)) return entry
    return undefined
  }

  *[Symbol.iterator](): Iterator<E> {
    for (const chunk of this.chunks) yield* chunk
  }

  toArray(): ReadonlyArray<E> {
    return this.chunks.flat()
  }

  clear(): void {
    this.chunks = []
    this.byId.clear()
  }

  /** Index of the first chunk whose last entry is not before `entry`; the last chunk when none is. */
  private chunkFor(entry: QueueEntry): number {
    let lo = 0
    let hi = this.chunks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const chunk = this.chunks[mid]
      const last = chunk?.[chunk.length - 1]
      if (last !== undefined && compareQueueEntries(last, entry) < 0) lo = mid + 1
      else hi = mid
    }
    return Math.min(lo, Math.max(0, this.chunks.length - 1))
  }

  private split(c: number): void {
    const chunk = this.chunks[c]
    if (chunk === undefined) return
    const right = chunk.splice(chunk.length >> 1)
    this.chunks.splice(c + 1, 0, right)
  }

  private deleteAt(c: number, i: number): void {
    const chunk = this.chunks[c]
    if (chunk === undefined) return
    if (i === 0) chunk.shift()
    else chunk.splice(i, 1)
    if (chunk.length === 0) this.chunks.splice(c, 1)
    else if (chunk.length < this.capacity >> 2 && this.chunks.length > 1) this.mergeWithNeighbour(c)
  }

  /** Joins an underfull chunk with a neighbour, splitting again if the result is too big. */
  private mergeWithNeighbour(c: number): void {
    const left = c > 0 ? c - 1 : c
    const a = this.chunks[left]
    const b = this.chunks[left + 1]
    if (a === undefined || b === undefined) return
    for (const entry of b) a.push(entry)
    this.chunks.splice(left + 1, 1)
    if (a.length > this.capacity) this.split(left)
  }
}

/** Index of the first entry of a sorted chunk that is not before `entry`. */
const lowerBound = (chunk: ReadonlyArray<QueueEntry>, entry: QueueEntry): number => {
  let lo = 0
  let hi = chunk.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const at = chunk[mid]
    if (at !== undefined && compareQueueEntries(at, entry) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

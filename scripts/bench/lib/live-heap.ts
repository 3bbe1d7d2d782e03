import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"

/**
 * Bytes of JavaScript heap still reachable, after a full garbage collection. The process's resident size also
 * counts garbage the collector has not reclaimed yet, which under a high allocation rate can be most of it. Node
 * hides `gc` unless started with `--expose-gc`; turning the flag on at run time makes it reachable from a fresh
 * context. Undefined if that does not work on this Node.
 */
export const liveHeapBytes = (): number | undefined => {
  setFlagsFromString("--expose-gc")
  const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined")
  if (typeof gc !== "function") return undefined
  gc()
  return process.memoryUsage().heapUsed
}

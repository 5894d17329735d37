/** Small helpers shared by the benchmark scripts (argument parsing, peak memory). */
import fs from 'node:fs'

/** `--name N` from the command line: a non-negative integer, or `def` when absent. */
export function argInt(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return def
  const v = Number(process.argv[i + 1])
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} needs a non-negative integer`)
  return v
}

/** The middle value (the upper middle of an even count). */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Peak resident set of a live process in bytes (Linux: VmHWM), 0 when it cannot be read. */
export function peakRssBytes(pid: number | 'self' = 'self'): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** The peak resident sets of a process and its children summed (an API primary and its workers). */
export function peakRssTreeBytes(pid: number): number {
  let children: number[] = []
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    // no children file: the process alone
  }
  return children.reduce((sum, c) => sum + peakRssBytes(c), peakRssBytes(pid))
}

/** Resident set now, in bytes. */
export function rssBytes(): number {
  return process.memoryUsage.rss()
}

/**
 * Starts the peak-RSS count afresh (Linux: writing 5 to clear_refs resets
 * VmHWM to the current RSS), so a later peak covers only what follows.
 * Returns false where the kernel does not allow it.
 */
export function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

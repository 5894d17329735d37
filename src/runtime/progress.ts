/**
 * The indexer's progress line while syncing: height, head, percent, blocks/s,
 * events/s and ETA, at most once per interval of wall time (and when the head
 * is reached). Wall time is right here: this measures the process, not the
 * chain. It holds no index data, so a rolled-back batch cannot leave it wrong.
 */
export interface ProgressLine {
  height: number
  head: number
  /** 0..100 of the range from the first batch's block to the head. */
  percent: number
  blocksPerSecond: number
  eventsPerSecond: number
  etaSeconds: number | null
  atHead: boolean
  /** The head is the chain's own (eth_blockNumber), not a lower bound. */
  headExact?: true
}

export class Progress {
  private start?: { at: number; height: number }
  private window = { at: 0, height: 0, events: 0 }
  private events = 0
  private lastLog?: number
  private wasAtHead = false

  constructor(private readonly intervalMs: number) {}

  /** Records a batch; returns a line to log when one is due. */
  batch(height: number, head: number, events: number, atHead: boolean, now = Date.now(), headExact = false): ProgressLine | undefined {
    this.events += events
    if (!this.start) {
      // The first batch only starts the clock: its blocks and events took no measured time.
      this.start = { at: now, height }
      this.window = { at: now, height, events: this.events }
    }
    const reached = atHead && !this.wasAtHead
    this.wasAtHead = atHead
    if (!reached && this.lastLog !== undefined && now - this.lastLog < this.intervalMs) return undefined
    const secs = Math.max(0.001, (now - this.window.at) / 1000)
    const blocksPerSecond = (height - this.window.height) / secs
    const eventsPerSecond = (this.events - this.window.events) / secs
    this.window = { at: now, height, events: this.events }
    this.lastLog = now
    const span = Math.max(1, head - this.start.height)
    const left = Math.max(0, head - height)
    return {
      height,
      head,
      percent: Math.min(100, Math.round(((height - this.start.height) / span) * 1000) / 10),
      blocksPerSecond: Math.round(blocksPerSecond),
      eventsPerSecond: Math.round(eventsPerSecond),
      etaSeconds: left === 0 ? 0 : blocksPerSecond > 0 ? Math.round(left / blocksPerSecond) : null,
      atHead,
      ...(headExact ? { headExact: true as const } : {}),
    }
  }
}

/** The progress line's message; the logger adds its figures as fields in JSON. */
export function formatProgress(p: ProgressLine): string {
  const eta = p.atHead ? 'at head' : p.etaSeconds == null ? 'ETA unknown' : `ETA ${p.etaSeconds} s`
  return `block ${p.height} of ${p.atHead || p.headExact ? '' : '≥'}${p.head} (${p.percent}%), ${p.blocksPerSecond} blocks/s, ${p.eventsPerSecond} events/s, ${eta}`
}

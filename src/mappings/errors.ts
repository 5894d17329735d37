/**
 * The one error a handler may throw on purpose. It means "this event names
 * something the index has never seen" (a start block after the thing was
 * created, another deployment's quirk): the batch counts it and goes on.
 * Handlers throw it before they change anything, so a skipped event leaves
 * no half-applied state. Any other exception is a bug, and stops the indexer.
 */
import type { EventPos } from './types'

export class CannotApply extends Error {
  constructor(what: string, p: EventPos) {
    super(`${what} is unknown at block ${p.blockNumber} log ${p.logIndex}`)
    this.name = 'CannotApply'
  }
}

/** The entity the event refers to, or CannotApply when the index has never seen it. */
export function need<T>(v: T | undefined, what: string, p: EventPos): T {
  if (v === undefined) throw new CannotApply(what, p)
  return v
}

/**
 * An unexpected exception in a handler, with where it happened: the
 * indexer stops on it and the batch is not committed.
 */
export class HandlerError extends Error {
  constructor(
    readonly event: { kind: string; blockNumber: number; logIndex: number; txHash: string },
    readonly original: unknown,
  ) {
    const why = original instanceof Error ? (original.stack ?? original.message) : String(original)
    super(`handler of ${event.kind} failed at block ${event.blockNumber} log index ${event.logIndex} (tx ${event.txHash}): ${why}`)
    this.name = 'HandlerError'
  }
}

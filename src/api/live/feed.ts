/**
 * The live feed: one connection to Postgres that LISTENs on `icn_indexed`
 * (the indexer's commits, see db/migrations/*-Notify.js), reads what each
 * commit added once, and hands it to every subscriber whose filter matches.
 *
 * A notification only wakes the feed up; what is delivered comes from the
 * database itself, in steps. A step reads, in one REPEATABLE READ snapshot,
 * the index's head and the events of the blocks between the last head
 * delivered and that one, so items are pushed only once they are committed
 * and readable by any query. Commits that land while a step runs are taken
 * by the next step (one `blocks` event may then cover several commits).
 *
 * Rollbacks: before each step the feed checks that the last head it
 * delivered is still indexed (the `block` table keeps every batch's last
 * block with its hash). When it is not, a reorg replaced it: the feed finds
 * the highest head it delivered that is still indexed, pushes a `blocks`
 * event for it with `reorg: true` (subscribers drop what they got for the
 * blocks above it) and delivers those blocks again from the new branch.
 *
 * The connection is re-opened with backoff when it fails (the database
 * restarted); the first step after that catches up on what was committed
 * meanwhile, so no commit is missed. All of this state belongs to one
 * feed object of one running API server, not to the module.
 */
import { log } from '../../runtime/log'
import { GraphQLError } from 'graphql'
import { Client } from 'pg'
import { afterBlock, EventCursor, EventRows, EventTopic, eventsPage, Head, indexedHashes, indexedHead } from '../sql/live'

export const LIVE_CHANNEL = 'icn_indexed'
/** The feed's connection, as it shows in pg_stat_activity. */
export const LIVE_APPLICATION_NAME = 'icn-indexer-api-live'

const EVENT_TOPICS: readonly EventTopic[] = ['transfers', 'delegationEvents', 'slaAttestations']
/** Rows read per statement while delivering a step. */
const PAGE = 500
/** Heads remembered to find where a reorg forked (far deeper than any finality window). */
const REMEMBERED_HEADS = 1024
/** Items a subscriber may have waiting; a client that reads slower than that is cut off. */
export const MAX_PENDING_ITEMS = 10_000
const BACKOFF_MIN_MS = 250
const BACKOFF_MAX_MS = 10_000
/** A step's statements may take this long before Postgres cancels them. */
const STATEMENT_TIMEOUT_MS = 30_000
/** How often the feed looks for a new head on a streaming replica, where no notification comes. */
const STANDBY_POLL_MS = 500

export interface IndexedBlock extends Head {
  /** The index rolled back to this block: what was pushed for blocks above it is void. */
  reorg: boolean
}

export type LiveItems = EventRows & { blocks: IndexedBlock }
export type LiveTopic = keyof LiveItems

/** An item as a subscriber gets it: `seq` orders every item the feed publishes. */
export interface Delivery<T> {
  seq: number
  item: T
}

/**
 * The order in which one connection's items go out. Each subscription of a
 * connection reads its own queue, and graphql-ws sends what each one yields
 * as soon as it is ready; held here, every item waits until the items
 * published before it (on any subscription of the connection) have gone
 * out, so a `blocks` event with `reorg: true` reaches the client after the
 * transfers it voids and before their replacements.
 */
export class DeliveryOrder {
  /** Items held, in publishing order (an item published to two subscriptions of the connection is held twice). */
  private readonly queue: number[] = []
  private readonly held = new Map<number, number>()
  private readonly waiting = new Map<number, (() => void)[]>()

  hold(seq: number): void {
    const n = this.held.get(seq) ?? 0
    if (n === 0) this.queue.push(seq)
    this.held.set(seq, n + 1)
  }

  /** An item that will not be sent (its subscription ended). */
  drop(seq: number): void {
    if (this.release(seq)) this.wakeNext()
  }

  /** Resolves when every item held before `seq` has been sent or dropped; `seq` then counts as sent. */
  async turn(seq: number): Promise<void> {
    if (!this.held.has(seq)) return
    if (this.first() !== seq) {
      await new Promise<void>((resolve) => {
        const w = this.waiting.get(seq)
        if (w) w.push(resolve)
        else this.waiting.set(seq, [resolve])
      })
    }
    // The caller sends within this turn of the event loop; the next item goes on the one after.
    if (this.release(seq)) setImmediate(() => this.wakeNext())
  }

  /** One hold of `seq` is over; true when it was the last. */
  private release(seq: number): boolean {
    const n = this.held.get(seq)
    if (n === undefined) return false
    if (n > 1) {
      this.held.set(seq, n - 1)
      return false
    }
    this.held.delete(seq)
    return true
  }

  private first(): number | undefined {
    while (this.queue.length && !this.held.has(this.queue[0])) this.queue.shift()
    return this.queue[0]
  }

  private wakeNext(): void {
    const f = this.first()
    if (f === undefined) return
    const w = this.waiting.get(f)
    if (w) {
      this.waiting.delete(f)
      for (const resolve of w) resolve()
    }
  }
}

/**
 * One subscriber's queue, and the async iterator graphql-ws reads it through.
 * `return()` (the client completed, or disconnected) ends it at once, even
 * while a `next()` is waiting.
 */
class LiveQueue<T> implements AsyncIterableIterator<Delivery<T>> {
  private readonly items: Delivery<T>[] = []
  private waiting?: { resolve: (r: IteratorResult<Delivery<T>>) => void; reject: (e: Error) => void }
  private failure?: Error
  private closed = false

  constructor(
    readonly accept: (item: T) => boolean,
    private readonly order: DeliveryOrder | undefined,
    private readonly onClose: () => void,
  ) {}

  offer(d: Delivery<T>): void {
    if (this.closed || !this.accept(d.item)) return
    this.order?.hold(d.seq)
    if (this.waiting) {
      const w = this.waiting
      this.waiting = undefined
      w.resolve({ value: d, done: false })
      return
    }
    this.items.push(d)
    if (this.items.length > MAX_PENDING_ITEMS) {
      this.fail(
        new GraphQLError(`this subscription fell more than ${MAX_PENDING_ITEMS} items behind and was ended: read faster, or subscribe with a narrower filter`, {
          extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
        }),
      )
    }
  }

  /** Ends the subscription with an error (what is still queued is dropped). */
  fail(e: Error): void {
    if (this.closed) return
    this.close()
    if (this.waiting) {
      const w = this.waiting
      this.waiting = undefined
      w.reject(e)
    } else {
      this.failure = e
    }
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    for (const d of this.items) this.order?.drop(d.seq)
    this.items.length = 0
    this.onClose()
  }

  next(): Promise<IteratorResult<Delivery<T>>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false })
    if (this.failure) {
      const e = this.failure
      this.failure = undefined
      return Promise.reject(e)
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }))
  }

  return(): Promise<IteratorResult<Delivery<T>>> {
    this.failure = undefined
    this.close()
    if (this.waiting) {
      const w = this.waiting
      this.waiting = undefined
      w.resolve({ value: undefined, done: true })
    }
    return Promise.resolve({ value: undefined, done: true })
  }

  throw(): Promise<IteratorResult<Delivery<T>>> {
    return this.return()
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Delivery<T>> {
    return this
  }
}

type Subscribers = { [K in LiveTopic]: Set<LiveQueue<LiveItems[K]>> }

export interface LiveFeedOptions {
  databaseUrl: string
  log?: (message: string) => void
}

export class LiveFeed {
  private readonly subscribers: Subscribers = { blocks: new Set(), transfers: new Set(), delegationEvents: new Set(), slaAttestations: new Set() }
  private client?: Client
  /** The last head delivered (undefined until the first step has read one). */
  private head?: Head | null
  /** Heads delivered, oldest first: where a reorg may have forked. */
  private heads: Head[] = []
  /** Per topic, the next event to deliver. */
  private readonly cursors = new Map<EventTopic, EventCursor>()
  /** A step that failed had already pushed items above `head`. */
  private partial = false
  private dirty = false
  private running?: Promise<void>
  private timer?: NodeJS.Timeout
  /** On a standby (no NOTIFY there): the timer that wakes the feed instead. */
  private poll?: NodeJS.Timeout
  private failures = 0
  /** Items published so far: the next item's `seq`. */
  private published = 0
  private stopped = false
  private readonly log: (message: string) => void

  constructor(private readonly opts: LiveFeedOptions) {
    this.log = opts.log ?? ((m) => log.warn('api', `live updates: ${m}`))
  }

  /**
   * Connects and reads the current head (what subscribers will get is what
   * is committed after it). When the database cannot be reached the feed
   * keeps trying in the background; the API serves queries meanwhile.
   */
  async start(): Promise<void> {
    try {
      await this.connect()
    } catch (e) {
      this.log(`cannot listen yet (${(e as Error).message}); retrying`)
      this.retry(() => this.reconnect())
      return
    }
    this.wake()
    await this.running
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    clearInterval(this.poll)
    await this.running?.catch(() => {})
    const c = this.client
    this.client = undefined
    await c?.end().catch(() => {})
    for (const set of Object.values(this.subscribers) as Set<LiveQueue<unknown>>[]) {
      for (const q of [...set]) q.return()
    }
  }

  /**
   * Items of `topic` committed from now on that `accept` lets through, in
   * chain order; `order`, when given, is the connection's (see DeliveryOrder).
   */
  subscribe<K extends LiveTopic>(topic: K, accept: (item: LiveItems[K]) => boolean, order?: DeliveryOrder): AsyncIterableIterator<Delivery<LiveItems[K]>> {
    if (this.stopped) throw new GraphQLError('the server is shutting down', { extensions: { code: 'SERVICE_UNAVAILABLE' } })
    const set = this.subscribers[topic] as Set<LiveQueue<LiveItems[K]>>
    const q: LiveQueue<LiveItems[K]> = new LiveQueue(accept, order, () => set.delete(q))
    set.add(q)
    return q
  }

  /** Subscribers currently registered (all topics). */
  get subscriberCount(): number {
    return Object.values(this.subscribers).reduce((n, s: Set<unknown>) => n + s.size, 0)
  }

  // ---------------------------------------------------------------- connection

  private async connect(): Promise<void> {
    const c = new Client({
      connectionString: this.opts.databaseUrl,
      application_name: LIVE_APPLICATION_NAME,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      keepAlive: true,
    })
    c.on('error', () => this.dropped(c))
    c.on('end', () => this.dropped(c))
    // On a multi-chain database every chain's status row notifies: only this feed's schema wakes it (a payload without one is older: it wakes).
    let own: string | undefined
    c.on('notification', (n) => {
      if (n.channel !== LIVE_CHANNEL) return
      const schema = notifiedSchema(n.payload)
      if (schema === undefined || own === undefined || schema === own) this.wake()
    })
    let standby: boolean
    try {
      await c.connect()
      // A streaming replica cannot LISTEN, and NOTIFY does not reach it: there
      // the feed polls (a step reads the replica's own head, which moves as it replays).
      const r = (
        await c.query<{ standby: boolean; schema: string | null }>(
          `SELECT pg_is_in_recovery() AS standby, (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = to_regclass('indexer_status')) AS schema`,
        )
      ).rows[0]
      standby = r.standby
      // The schema of the status table the search_path finds (none yet: every notification wakes the feed).
      own = r.schema ?? undefined
      if (!standby) await c.query(`LISTEN ${LIVE_CHANNEL}`)
    } catch (e) {
      c.removeAllListeners('end')
      await c.end().catch(() => {})
      throw e
    }
    if (this.stopped) {
      await c.end().catch(() => {})
      return
    }
    this.client = c
    clearInterval(this.poll)
    this.poll = standby ? setInterval(() => this.wake(), STANDBY_POLL_MS).unref() : undefined
  }

  private dropped(c: Client): void {
    if (this.client !== c) return
    this.client = undefined
    c.end().catch(() => {})
    if (this.stopped) return
    this.log('lost the database connection; reconnecting')
    this.retry(() => this.reconnect())
  }

  private async reconnect(): Promise<void> {
    try {
      await this.connect()
    } catch (e) {
      this.log(`reconnect failed (${(e as Error).message}); retrying`)
      this.retry(() => this.reconnect())
      return
    }
    // Catch up on the commits made while no one was listening.
    this.wake()
  }

  private retry(fn: () => Promise<void> | void): void {
    if (this.stopped) return
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.failures, 16))
    this.failures += 1
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void fn(), delay)
  }

  // ---------------------------------------------------------------- steps

  private wake(): void {
    this.dirty = true
    if (this.running || this.stopped) return
    this.running = this.pump().finally(() => {
      this.running = undefined
      if (this.dirty && this.client && !this.stopped) this.wake()
    })
  }

  private async pump(): Promise<void> {
    while (this.dirty && !this.stopped) {
      this.dirty = false
      const c = this.client
      if (!c) return // the reconnect wakes the feed again
      try {
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
        try {
          await this.step(c)
        } finally {
          await c.query('COMMIT')
        }
        this.failures = 0
      } catch (e) {
        if (this.stopped) return
        this.log(`step failed (${(e as Error).message}); retrying`)
        // A broken connection is re-opened by `dropped`; anything else is retried after a pause.
        this.dirty = false
        if (this.client === c) this.retry(() => this.wake())
        return
      }
    }
  }

  private async step(c: Client): Promise<void> {
    const now = await indexedHead(c)
    if (this.head === undefined) {
      // First step: subscribers get what is committed after this head.
      this.moveTo(now ?? null, now ? [now] : [])
      return
    }
    let base = this.head
    if (base) {
      const kept = await indexedHashes(c, [base.height])
      if (kept.get(base.height) !== base.hash) {
        const known = await indexedHashes(c, this.heads.map((h) => h.height))
        const fork = [...this.heads].reverse().find((h) => known.get(h.height) === h.hash)
        if (!fork) return this.reset(now, 'the index rolled back below every block this server delivered')
        this.rollBack(fork)
        base = fork
      } else if (this.partial) {
        // The last step died half-way: what it pushed above `base` cannot be
        // vouched for, so it is withdrawn and delivered again.
        this.rollBack(base)
      }
    }
    if (!now) {
      if (base) this.reset(now, 'the index was emptied')
      return
    }
    if (base && now.height < base.height) return this.reset(now, 'the index stands below the last block delivered')
    if (base && now.height === base.height) return // nothing new (or a rollback to exactly `base`, already told)

    for (const topic of EVENT_TOPICS) await this.deliver(c, topic, now.height)
    this.moveTo(now, [...this.heads, now])
    this.publish('blocks', { ...now, reorg: false })
  }

  /** Pushes the events of `topic` from its cursor up to block `toHeight`. */
  private async deliver<K extends EventTopic>(c: Client, topic: K, toHeight: number): Promise<void> {
    const subs = this.subscribers[topic]
    let cursor = this.cursors.get(topic) ?? afterBlock(this.head?.height ?? -1)
    // No one to tell: skip the range without reading it.
    while (subs.size > 0) {
      const page = await eventsPage(c, topic, cursor, toHeight, PAGE)
      for (const row of page) this.publish(topic, row as LiveItems[K])
      if (page.length) {
        this.partial = true
        cursor = { id: page[page.length - 1].id, inclusive: false }
        this.cursors.set(topic, cursor)
      }
      if (page.length < PAGE) break
    }
  }

  private publish<K extends LiveTopic>(topic: K, item: LiveItems[K]): void {
    const d = { seq: ++this.published, item }
    for (const q of [...this.subscribers[topic]] as LiveQueue<LiveItems[K]>[]) q.offer(d)
  }

  /** The delivered head is now `head`: every cursor continues after it. */
  private moveTo(head: Head | null, heads: Head[]): void {
    this.head = head
    this.heads = heads.slice(-REMEMBERED_HEADS)
    this.partial = false
    for (const t of EVENT_TOPICS) this.cursors.set(t, afterBlock(head?.height ?? -1))
  }

  private rollBack(to: Head): void {
    this.moveTo(
      to,
      this.heads.filter((h) => h.height <= to.height),
    )
    this.publish('blocks', { ...to, reorg: true })
  }

  /** Continuity is lost: every subscriber is ended with an error, and the feed starts over from `now`. */
  private reset(now: Head | undefined, why: string): void {
    this.log(`${why}: ending every subscription`)
    const e = new GraphQLError(`live updates were interrupted (${why}); subscribe again`, { extensions: { code: 'SUBSCRIPTION_RESET' } })
    for (const set of Object.values(this.subscribers) as Set<LiveQueue<unknown>>[]) {
      for (const q of [...set]) q.fail(e)
    }
    this.moveTo(now ?? null, now ? [now] : [])
  }
}

/** The schema a live-update payload names (undefined: none named, or not our JSON). */
function notifiedSchema(payload: string | undefined): string | undefined {
  try {
    const p = JSON.parse(payload ?? '') as { schema?: unknown }
    return typeof p.schema === 'string' ? p.schema : undefined
  } catch {
    return undefined
  }
}

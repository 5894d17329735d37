/**
 * The indexer's Prometheus endpoint: its own batch metrics, followed by the
 * SDK's (chain height, last block, speed, ETA, RPC requests and failures),
 * which the SDK serves on a private loopback port that this one reads.
 * One scrape target, both sets.
 */
import http from 'node:http'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

export class IndexerMetrics {
  readonly registry = new Registry()
  private readonly blocks: Histogram<string>
  private readonly events: Histogram<string>
  private readonly duration: Histogram<string>
  private readonly undecoded: Counter<string>
  private readonly inconsistent: Counter<string>
  private readonly height: Gauge<string>

  constructor() {
    const registers = [this.registry]
    this.blocks = new Histogram({ name: 'icn_indexer_batch_blocks', help: 'Blocks per batch', buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000], registers })
    this.events = new Histogram({ name: 'icn_indexer_batch_events', help: 'Decoded events per batch', buckets: [0, 10, 100, 1000, 10_000, 50_000, 100_000], registers })
    this.duration = new Histogram({ name: 'icn_indexer_batch_duration_seconds', help: 'Time to decode, load, apply and flush a batch', buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers })
    this.undecoded = new Counter({ name: 'icn_indexer_undecoded_logs_total', help: 'Logs at watched addresses that did not decode or apply (this process)', registers })
    this.inconsistent = new Counter({ name: 'icn_indexer_inconsistencies_total', help: 'Events whose stated sums the index does not reach, e.g. a slash whose positions lose other than its delegatorAmount (this process)', registers })
    this.height = new Gauge({ name: 'icn_indexer_height', help: 'Last block written', registers })
  }

  batch(blocks: number, events: number, seconds: number, undecoded: number, inconsistencies: number, height: number): void {
    this.blocks.observe(blocks)
    this.events.observe(events)
    this.duration.observe(seconds)
    if (undecoded > 0) this.undecoded.inc(undecoded)
    if (inconsistencies > 0) this.inconsistent.inc(inconsistencies)
    this.height.set(height)
  }

  /** Serves /metrics on `port` (0: any free port); resolves the port it listens on. */
  serve(port: number, sdkPort: number): Promise<number> {
    const server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end()
        return
      }
      void (async () => {
        const own = await this.registry.metrics()
        const sdk = await fetch(`http://127.0.0.1:${sdkPort}/metrics`).then((r) => r.text()).catch(() => '')
        const body = `${own}\n${sdk}`
        res.writeHead(200, { 'content-type': this.registry.contentType, 'content-length': Buffer.byteLength(body) })
        res.end(body)
      })()
    })
    server.unref()
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, () => {
        const a = server.address()
        resolve(typeof a === 'object' && a ? a.port : port)
      })
    })
  }
}

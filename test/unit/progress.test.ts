import { LogLevel } from '@subsquid/logger'
import { log, sdkRecord, setLogFormat } from '../../src/runtime/log'
import { formatProgress, Progress } from '../../src/runtime/progress'

/** What the logger writes to stdout and stderr while `fn` runs. */
function captured(fn: () => void): { out: string; err: string } {
  const o = { out: '', err: '' }
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((o.out += String(s)), true))
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((o.err += String(s)), true))
  try {
    fn()
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
  return o
}

describe('progress line', () => {
  test('speed, percent and ETA over the last interval; a line when the head is reached', () => {
    const p = new Progress(5000)
    const first = p.batch(1000, 11_000, 5000, false, 0)!
    expect(first).toMatchObject({ height: 1000, head: 11_000, percent: 0, blocksPerSecond: 0, eventsPerSecond: 0, etaSeconds: null })
    expect(p.batch(2000, 11_000, 20_000, false, 2000)).toBeUndefined() // within the interval
    const l = p.batch(6000, 11_000, 30_000, false, 5000)!
    expect(l).toEqual({ height: 6000, head: 11_000, percent: 50, blocksPerSecond: 1000, eventsPerSecond: 10_000, etaSeconds: 5, atHead: false })
    expect(formatProgress(l)).toBe('block 6000 of ≥11000 (50%), 1000 blocks/s, 10000 events/s, ETA 5 s')
    const head = p.batch(11_000, 11_000, 0, true, 5500)!
    expect(head).toMatchObject({ percent: 100, etaSeconds: 0, atHead: true })
    expect(formatProgress(head)).toBe('block 11000 of 11000 (100%), 10000 blocks/s, 0 events/s, at head')
  })

  test("with the chain's own head (eth_blockNumber) the head is exact, not a lower bound", () => {
    const p = new Progress(5000)
    p.batch(0, 1426, 0, false, 0, true)
    const l = p.batch(430, 1426, 0, false, 5000, true)!
    expect(l).toMatchObject({ percent: 30.2, headExact: true })
    expect(formatProgress(l)).toBe('block 430 of 1426 (30.2%), 86 blocks/s, 0 events/s, ETA 12 s')
  })
})

describe('one logger for ours and the SDK', () => {
  afterAll(() => setLogFormat(false))

  test('text: "component: message", info to stdout, warnings to stderr; the SDK namespace is the component', () => {
    setLogFormat(false)
    const c = captured(() => {
      log.info('progress', 'block 5 of 9')
      sdkRecord({ time: 1, level: LogLevel.INFO, ns: 'sqd:processor', msg: '1 / 9, rate: 3 blocks/sec' })
      sdkRecord({ time: 1, level: LogLevel.WARN, ns: 'sqd:processor:rpc', msg: 'retrying' })
      sdkRecord({ time: 1, level: LogLevel.DEBUG, ns: 'sqd:processor', msg: 'not shown' })
    })
    expect(c).toEqual({ out: 'progress: block 5 of 9\nsqd:processor: 1 / 9, rate: 3 blocks/sec\n', err: 'sqd:processor:rpc: retrying\n' })
  })

  test("JSON: one object a line, the SDK record's attributes as fields, its error with the stack", () => {
    setLogFormat(true)
    const c = captured(() => {
      log.info('progress', 'block 5 of 9', { height: 5 })
      sdkRecord({ time: 1, level: LogLevel.ERROR, ns: 'sqd:processor', msg: 'failed', err: new Error('boom'), ...{ blockNumber: 7 } })
    })
    const [progress] = c.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(progress).toMatchObject({ level: 'info', component: 'progress', msg: 'block 5 of 9', height: 5 })
    const sdk = JSON.parse(c.err.trim()) as { level: string; component: string; msg: string; blockNumber: number; err: { message: string; stack: string } }
    expect(sdk).toMatchObject({ level: 'error', component: 'sqd:processor', msg: 'failed', blockNumber: 7, err: { message: 'boom' } })
    expect(sdk.err.stack).toContain('Error: boom')
  })
})

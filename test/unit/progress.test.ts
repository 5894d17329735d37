import { formatProgress, Progress } from '../../src/runtime/progress'

describe('progress line', () => {
  test('speed, percent and ETA over the last interval; a line when the head is reached', () => {
    const p = new Progress(5000)
    const first = p.batch(1000, 11_000, 5000, false, 0)!
    expect(first).toMatchObject({ height: 1000, head: 11_000, percent: 0, blocksPerSecond: 0, eventsPerSecond: 0, etaSeconds: null })
    expect(p.batch(2000, 11_000, 20_000, false, 2000)).toBeUndefined() // within the interval
    const l = p.batch(6000, 11_000, 30_000, false, 5000)!
    expect(l).toEqual({ height: 6000, head: 11_000, percent: 50, blocksPerSecond: 1000, eventsPerSecond: 10_000, etaSeconds: 5, atHead: false })
    expect(formatProgress(l, false)).toBe('progress: block 6000 of ≥11000 (50%), 1000 blocks/s, 10000 events/s, ETA 5 s')
    const head = p.batch(11_000, 11_000, 0, true, 5500)!
    expect(head).toMatchObject({ percent: 100, etaSeconds: 0, atHead: true })
    expect(JSON.parse(formatProgress(head, true))).toMatchObject({ level: 'info', msg: 'progress', height: 11_000, atHead: true })
  })
})

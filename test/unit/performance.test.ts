import { compliance, eraOf, resolveWindow, WindowError } from '../../src/domain/performance'
import { windowParts } from '../../src/api/sql/performance'

const O = 1_767_225_600 // era origin
const H = O + 100 * 3600 + 1800 // head: half-way through era 100

describe('performance maths', () => {
  test('compliance: eras met ÷ eras with quorum; none with quorum is null, not zero', () => {
    expect(compliance(7, 8)).toBe(0.875)
    expect(compliance(0, 5)).toBe(0)
    expect(compliance(5, 5)).toBe(1)
    expect(compliance(0, 0)).toBeNull()
  })

  test('eras: era n covers [origin + n·3600, origin + (n+1)·3600)', () => {
    expect(eraOf(O, O)).toBe(0)
    expect(eraOf(O + 3599, O)).toBe(0)
    expect(eraOf(O + 3600, O)).toBe(1)
  })

  test('windows end with the head era; default is the last 30 days', () => {
    expect(resolveWindow({}, H, O)).toMatchObject({ eraFrom: 0, eraTo: 100 }) // 720 eras back is before era 0
    expect(resolveWindow({ lastEras: 10 }, H, O)).toEqual({ eraFrom: 91, eraTo: 100, from: O + 91 * 3600, to: O + 101 * 3600 })
    expect(resolveWindow({ lastDays: 2 }, H, O)).toMatchObject({ eraFrom: 53, eraTo: 100 })
    expect(resolveWindow({ eraFrom: 5, eraTo: 9 }, H, O)).toMatchObject({ eraFrom: 5, eraTo: 9 })
    // a time range covers the eras it touches; `to` is exclusive
    expect(resolveWindow({ from: O + 3600 * 2 + 10, to: O + 3600 * 4 }, H, O)).toMatchObject({ eraFrom: 2, eraTo: 3 })
  })

  test('bad windows name the argument', () => {
    const err = (w: Parameters<typeof resolveWindow>[0]) => {
      try {
        resolveWindow(w, H, O)
      } catch (e) {
        return [(e as WindowError).argument, (e as Error).message]
      }
      return null
    }
    expect(err({ lastEras: 5, lastDays: 1 })?.[0]).toBe('window')
    expect(err({ lastEras: 0 })?.[0]).toBe('window.lastEras')
    expect(err({ eraFrom: 10, eraTo: 3 })?.[1]).toContain('before it starts')
  })

  test('a window is its whole days of eras and the eras before and after them, each era exactly once', () => {
    expect(windowParts({ eraFrom: 0, eraTo: 23 })).toEqual({ days: [0, 0], head: [1, 0], tail: [1, 0] })
    expect(windowParts({ eraFrom: 5, eraTo: 100 })).toEqual({ days: [1, 3], head: [5, 23], tail: [96, 100] })
    expect(windowParts({ eraFrom: 24, eraTo: 47 })).toEqual({ days: [1, 1], head: [1, 0], tail: [1, 0] })
    // No whole day: all from the eras.
    expect(windowParts({ eraFrom: 25, eraTo: 47 })).toEqual({ days: [1, 0], head: [25, 47], tail: [1, 0] })
    expect(windowParts({ eraFrom: 7, eraTo: 7 })).toEqual({ days: [1, 0], head: [7, 7], tail: [1, 0] })
    expect(windowParts({ eraFrom: 23, eraTo: 24 })).toEqual({ days: [1, 0], head: [23, 24], tail: [1, 0] })
    for (let from = 0; from < 60; from++) {
      for (let to = from; to < 130; to += 7) {
        const p = windowParts({ eraFrom: from, eraTo: to })
        const eras: number[] = []
        for (let d = p.days[0]; d <= p.days[1]; d++) for (let e = d * 24; e < d * 24 + 24; e++) eras.push(e)
        for (const [a, b] of [p.head, p.tail]) for (let e = a; e <= b; e++) eras.push(e)
        expect(eras.sort((x, y) => x - y)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i))
      }
    }
  })
})

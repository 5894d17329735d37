import { compliance, eraOf, resolveWindow, WindowError } from '../../src/domain/performance'

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
})

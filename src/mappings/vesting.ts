/** Vesting handlers (ICNVesting): schedules, curves, releases, revocations. */
import { categoryFromBytes32 } from '../domain/bytes32'
import { eventId, padId } from '../domain/ids'
import { TokensRelease, VestingRevocation, VestingSchedule } from '../model'
import type { BatchState } from '../store/state'
import { need } from './errors'
import type { ProtocolEvent } from './protocol'
import { rowPos } from './types'

export type VestingEvent = Extract<ProtocolEvent, { kind: 'VestingScheduleCreated' | 'VestingCurveSet' | 'TokensReleased' | 'VestingScheduleRevoked' }>

export function applyVesting(state: BatchState, ev: VestingEvent): void {
  switch (ev.kind) {
    case 'VestingScheduleCreated': {
      const e = ev.e
      const id = padId(e.scheduleId)
      state.schedules.set(
        id,
        new VestingSchedule({
          id,
          scheduleId: e.scheduleId,
          contract: ev.address,
          beneficiary: e.beneficiary.toLowerCase(),
          category: categoryFromBytes32(e.category),
          total: e.total,
          immediate: e.immediate,
          start: e.start,
          cliff: e.cliff,
          duration: e.duration,
          curve: null,
          released: 0n,
          revoked: false,
          revokedAt: null,
          unvestedReturned: null,
          createdBlock: ev.blockNumber,
          createdAt: new Date(ev.timestamp),
        }),
      )
      state.touch('schedules', state.schedules.get(id)!)
      return
    }
    case 'VestingCurveSet': {
      const s = need(state.schedules.get(padId(ev.e.scheduleId)), `schedule ${ev.e.scheduleId}`, ev)
      s.curve = ev.e.monthlyAmounts.map((a) => a.toString())
      state.touch('schedules', s)
      return
    }
    case 'TokensReleased': {
      const s = need(state.schedules.get(padId(ev.e.scheduleId)), `schedule ${ev.e.scheduleId}`, ev)
      s.released += ev.e.amount
      state.touch('schedules', s)
      state.releases.push(new TokensRelease({ id: eventId(ev.blockNumber, ev.logIndex), scheduleId: s.id, beneficiary: ev.e.beneficiary.toLowerCase(), amount: ev.e.amount, ...rowPos(ev) }))
      return
    }
    case 'VestingScheduleRevoked': {
      const s = need(state.schedules.get(padId(ev.e.scheduleId)), `schedule ${ev.e.scheduleId}`, ev)
      s.revoked = true
      s.revokedAt = BigInt(Math.floor(ev.timestamp / 1000))
      s.unvestedReturned = ev.e.unvestedReturned
      state.touch('schedules', s)
      state.revocations.push(new VestingRevocation({ id: eventId(ev.blockNumber, ev.logIndex), scheduleId: s.id, unvestedReturned: ev.e.unvestedReturned, ...rowPos(ev) }))
      return
    }
  }
}

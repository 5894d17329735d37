/** Capacity market handlers (CapacityMarket): bookings, extensions, ends. */
import { eventId, padId } from '../domain/ids'
import { Booking, BookingEvent } from '../model'
import type { BatchState } from '../store/state'
import { need } from './errors'
import type { ProtocolEvent } from './protocol'
import { rowPos } from './types'

export type MarketEvent = Extract<ProtocolEvent, { kind: 'CapacityBooked' | 'BookingExtended' | 'BookingEnded' }>

export function applyMarket(state: BatchState, ev: MarketEvent): void {
  switch (ev.kind) {
    case 'CapacityBooked': {
      const e = ev.e
      const n = need(state.nodes.get(padId(e.nodeId)), `node ${e.nodeId}`, ev)
      const b = new Booking({
        id: padId(e.bookingId),
        bookingId: e.bookingId,
        nodeId: n.id,
        serviceProvider: e.serviceProvider.toLowerCase(),
        capacity: e.capacity,
        price: e.price,
        startTime: e.startTime,
        endTime: e.endTime,
        ended: false,
        endReason: null,
        endedBlock: null,
        endedAt: null,
        createdBlock: ev.blockNumber,
        createdAt: new Date(ev.timestamp),
      })
      state.bookings.set(b.id, b)
      n.revenue += e.price
      n.bookingCount += 1
      state.touch('bookings', b)
      state.touch('nodes', n)
      state.bookingEvents.push(new BookingEvent({ id: eventId(ev.blockNumber, ev.logIndex), bookingId: b.id, nodeId: n.id, kind: 'BOOKED', amount: e.price, newEndTime: e.endTime, reason: null, ...rowPos(ev) }))
      return
    }
    case 'BookingExtended': {
      const b = need(state.bookings.get(padId(ev.e.bookingId)), `booking ${ev.e.bookingId}`, ev)
      const n = need(state.nodes.get(b.nodeId), `node ${b.nodeId}`, ev)
      b.endTime = ev.e.newEndTime
      b.price += ev.e.additionalPrice
      n.revenue += ev.e.additionalPrice
      state.touch('bookings', b)
      state.touch('nodes', n)
      state.bookingEvents.push(new BookingEvent({ id: eventId(ev.blockNumber, ev.logIndex), bookingId: b.id, nodeId: n.id, kind: 'EXTENDED', amount: ev.e.additionalPrice, newEndTime: ev.e.newEndTime, reason: null, ...rowPos(ev) }))
      return
    }
    case 'BookingEnded': {
      const b = need(state.bookings.get(padId(ev.e.bookingId)), `booking ${ev.e.bookingId}`, ev)
      b.ended = true
      b.endReason = ev.e.reason
      b.endedBlock = ev.blockNumber
      b.endedAt = new Date(ev.timestamp)
      state.touch('bookings', b)
      state.bookingEvents.push(new BookingEvent({ id: eventId(ev.blockNumber, ev.logIndex), bookingId: b.id, nodeId: b.nodeId, kind: 'ENDED', amount: null, newEndTime: null, reason: ev.e.reason, ...rowPos(ev) }))
      return
    }
  }
}

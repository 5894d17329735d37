/** SLA oracle handlers (SLAOracle): HyperNodes, their reports and the era rollups, violations. */
import { eventId, nodeEraId, padId } from '../domain/ids'
import { SlaReport, unpackReports, withReport } from '../domain/sla'
import { HyperNode, NodeEra, SlaAttestation, SlaViolation } from '../model'
import type { BatchState } from '../store/state'
import { need } from './errors'
import type { ProtocolEvent } from './protocol'
import { rowPos } from './types'

export type SlaEvent = Extract<ProtocolEvent, { kind: 'HyperNodeRegistered' | 'HyperNodeStatusChanged' | 'SlaAttested' | 'SlaViolation' }>

export function applySla(state: BatchState, ev: SlaEvent): void {
  switch (ev.kind) {
    case 'HyperNodeRegistered': {
      const id = padId(ev.e.hyperNodeId)
      const h = new HyperNode({ id, hyperNodeId: ev.e.hyperNodeId, operator: ev.e.operator.toLowerCase(), location: ev.e.location, status: 1, reportCount: 0, registeredBlock: ev.blockNumber })
      state.hyperNodes.set(id, h)
      state.touch('hyperNodes', h)
      return
    }
    case 'HyperNodeStatusChanged': {
      const h = need(state.hyperNodes.get(padId(ev.e.hyperNodeId)), `hypernode ${ev.e.hyperNodeId}`, ev)
      h.status = ev.e.status
      state.touch('hyperNodes', h)
      return
    }
    case 'SlaAttested': {
      const e = ev.e
      const nodeId = padId(e.nodeId)
      const hyperNodeId = padId(e.hyperNodeId)
      // A report on a node the index never saw registered cannot be applied (the spec counts it as an error).
      need(state.nodes.get(nodeId), `node ${e.nodeId}`, ev)
      // Reports count from every HyperNode whose report the chain accepted, registered in the index or not.
      const h = state.hyperNodes.get(hyperNodeId)
      if (h) {
        h.reportCount += 1
        state.touch('hyperNodes', h)
      }
      const report = { uptimeBps: e.uptimeBps, latencyMs: e.latencyMs, challengesPassed: e.challengesPassed, challengesFailed: e.challengesFailed }
      state.attestations.push(new SlaAttestation({ id: eventId(ev.blockNumber, ev.logIndex), nodeId, era: Number(e.era), hyperNodeId, ...report, ...rowPos(ev) }))
      rollUpReport(state, nodeId, Number(e.era), { hyperNodeId, ...report, blockNumber: ev.blockNumber })
      return
    }
    case 'SlaViolation': {
      const e = ev.e
      const n = need(state.nodes.get(padId(e.nodeId)), `node ${e.nodeId}`, ev)
      n.violationCount += 1
      state.touch('nodes', n)
      state.violations.push(new SlaViolation({ id: eventId(ev.blockNumber, ev.logIndex), nodeId: padId(e.nodeId), era: Number(e.era), metric: e.metric, observed: e.observed, threshold: e.threshold, ...rowPos(ev) }))
      return
    }
  }
}

/**
 * Folds a report into its node's era rollup (a late report updates an era
 * already rolled up). The consensus itself is computed once per era and
 * batch, before the batch is written (BatchState.rollUpEras).
 */
function rollUpReport(state: BatchState, nodeId: string, era: number, r: SlaReport): void {
  const id = nodeEraId(nodeId, era)
  let ne = state.nodeEras.get(id)
  if (!ne) {
    ne = new NodeEra({ id, nodeId, era, reportHyperNodes: [], reportValues: [] })
    state.nodeEras.set(id, ne)
  }
  const reports = state.eraReports.get(id) ?? unpackReports(ne.reportHyperNodes, ne.reportValues)
  state.eraReports.set(id, withReport(reports, r))
  ne.lastReportBlock = r.blockNumber
}

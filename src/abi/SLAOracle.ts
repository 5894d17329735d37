import * as p from '@subsquid/evm-codec'
import { event, fun, viewFun, indexed, ContractBase } from '@subsquid/evm-abi'
import type { EventParams as EParams, FunctionArguments, FunctionReturn } from '@subsquid/evm-abi'

export const events = {
    HyperNodeRegistered: event("0x8160264711ec7c9bd461f8070e1282ee4592e3048b5af620dfb750242767cbae", "HyperNodeRegistered(uint256,address,string)", {"hyperNodeId": indexed(p.uint256), "operator": indexed(p.address), "location": p.string}),
    HyperNodeStatusChanged: event("0xe0dd54296c2a2644ea71d96b599978b383128ab84548e880a8c5056b1067aae1", "HyperNodeStatusChanged(uint256,uint8)", {"hyperNodeId": indexed(p.uint256), "status": p.uint8}),
    OwnershipTransferred: event("0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0", "OwnershipTransferred(address,address)", {"previousOwner": indexed(p.address), "newOwner": indexed(p.address)}),
    SlaAttested: event("0xcca3bc165e4fce624e9ed6ec231798686d290f9f2a564281487544a2b9ab4b50", "SlaAttested(uint256,uint256,uint256,uint32,uint32,uint32,uint32)", {"nodeId": indexed(p.uint256), "era": indexed(p.uint256), "hyperNodeId": indexed(p.uint256), "uptimeBps": p.uint32, "latencyMs": p.uint32, "challengesPassed": p.uint32, "challengesFailed": p.uint32}),
    SlaViolation: event("0x85b4205ba9f4e3c645e4db414f8f8dc5cec830414b171a8d4a40e03841832509", "SlaViolation(uint256,uint256,uint8,uint256,uint256)", {"nodeId": indexed(p.uint256), "era": indexed(p.uint256), "metric": p.uint8, "observed": p.uint256, "threshold": p.uint256}),
}

export const functions = {
    HYPERNODE_ACTIVE: viewFun("0xa1369f1d", "HYPERNODE_ACTIVE()", {}, p.uint8),
    HYPERNODE_INACTIVE: viewFun("0x36955ed1", "HYPERNODE_INACTIVE()", {}, p.uint8),
    MAX_UPTIME_BPS: viewFun("0x9a860a1f", "MAX_UPTIME_BPS()", {}, p.uint32),
    METRIC_CHALLENGES: viewFun("0x7caa3549", "METRIC_CHALLENGES()", {}, p.uint8),
    METRIC_LATENCY: viewFun("0x5fc9de5f", "METRIC_LATENCY()", {}, p.uint8),
    METRIC_UPTIME: viewFun("0xfb69be98", "METRIC_UPTIME()", {}, p.uint8),
    attest: fun("0x4e398126", "attest(uint256,(uint256,uint256,uint32,uint32,uint32,uint32)[])", {"hyperNodeId": p.uint256, "reports": p.array(p.struct({"nodeId": p.uint256, "era": p.uint256, "uptimeBps": p.uint32, "latencyMs": p.uint32, "challengesPassed": p.uint32, "challengesFailed": p.uint32}))}, ),
    getHyperNode: viewFun("0xdb2b9f37", "getHyperNode(uint256)", {"hyperNodeId": p.uint256}, {"operator": p.address, "location": p.string, "status": p.uint8}),
    hyperNodeCount: viewFun("0xca2131f8", "hyperNodeCount()", {}, p.uint256),
    owner: viewFun("0x8da5cb5b", "owner()", {}, p.address),
    raiseViolation: fun("0x2fd8ac14", "raiseViolation(uint256,uint256,uint8,uint256,uint256)", {"nodeId": p.uint256, "era": p.uint256, "metric": p.uint8, "observed": p.uint256, "threshold": p.uint256}, ),
    registerHyperNode: fun("0xf26872b9", "registerHyperNode(address,string)", {"operator": p.address, "location": p.string}, p.uint256),
    renounceOwnership: fun("0x715018a6", "renounceOwnership()", {}, ),
    setHyperNodeStatus: fun("0x52b05bc4", "setHyperNodeStatus(uint256,uint8)", {"hyperNodeId": p.uint256, "status": p.uint8}, ),
    transferOwnership: fun("0xf2fde38b", "transferOwnership(address)", {"newOwner": p.address}, ),
}

export class Contract extends ContractBase {

    HYPERNODE_ACTIVE() {
        return this.eth_call(functions.HYPERNODE_ACTIVE, {})
    }

    HYPERNODE_INACTIVE() {
        return this.eth_call(functions.HYPERNODE_INACTIVE, {})
    }

    MAX_UPTIME_BPS() {
        return this.eth_call(functions.MAX_UPTIME_BPS, {})
    }

    METRIC_CHALLENGES() {
        return this.eth_call(functions.METRIC_CHALLENGES, {})
    }

    METRIC_LATENCY() {
        return this.eth_call(functions.METRIC_LATENCY, {})
    }

    METRIC_UPTIME() {
        return this.eth_call(functions.METRIC_UPTIME, {})
    }

    getHyperNode(hyperNodeId: GetHyperNodeParams["hyperNodeId"]) {
        return this.eth_call(functions.getHyperNode, {hyperNodeId})
    }

    hyperNodeCount() {
        return this.eth_call(functions.hyperNodeCount, {})
    }

    owner() {
        return this.eth_call(functions.owner, {})
    }
}

/// Event types
export type HyperNodeRegisteredEventArgs = EParams<typeof events.HyperNodeRegistered>
export type HyperNodeStatusChangedEventArgs = EParams<typeof events.HyperNodeStatusChanged>
export type OwnershipTransferredEventArgs = EParams<typeof events.OwnershipTransferred>
export type SlaAttestedEventArgs = EParams<typeof events.SlaAttested>
export type SlaViolationEventArgs = EParams<typeof events.SlaViolation>

/// Function types
export type HYPERNODE_ACTIVEParams = FunctionArguments<typeof functions.HYPERNODE_ACTIVE>
export type HYPERNODE_ACTIVEReturn = FunctionReturn<typeof functions.HYPERNODE_ACTIVE>

export type HYPERNODE_INACTIVEParams = FunctionArguments<typeof functions.HYPERNODE_INACTIVE>
export type HYPERNODE_INACTIVEReturn = FunctionReturn<typeof functions.HYPERNODE_INACTIVE>

export type MAX_UPTIME_BPSParams = FunctionArguments<typeof functions.MAX_UPTIME_BPS>
export type MAX_UPTIME_BPSReturn = FunctionReturn<typeof functions.MAX_UPTIME_BPS>

export type METRIC_CHALLENGESParams = FunctionArguments<typeof functions.METRIC_CHALLENGES>
export type METRIC_CHALLENGESReturn = FunctionReturn<typeof functions.METRIC_CHALLENGES>

export type METRIC_LATENCYParams = FunctionArguments<typeof functions.METRIC_LATENCY>
export type METRIC_LATENCYReturn = FunctionReturn<typeof functions.METRIC_LATENCY>

export type METRIC_UPTIMEParams = FunctionArguments<typeof functions.METRIC_UPTIME>
export type METRIC_UPTIMEReturn = FunctionReturn<typeof functions.METRIC_UPTIME>

export type AttestParams = FunctionArguments<typeof functions.attest>
export type AttestReturn = FunctionReturn<typeof functions.attest>

export type GetHyperNodeParams = FunctionArguments<typeof functions.getHyperNode>
export type GetHyperNodeReturn = FunctionReturn<typeof functions.getHyperNode>

export type HyperNodeCountParams = FunctionArguments<typeof functions.hyperNodeCount>
export type HyperNodeCountReturn = FunctionReturn<typeof functions.hyperNodeCount>

export type OwnerParams = FunctionArguments<typeof functions.owner>
export type OwnerReturn = FunctionReturn<typeof functions.owner>

export type RaiseViolationParams = FunctionArguments<typeof functions.raiseViolation>
export type RaiseViolationReturn = FunctionReturn<typeof functions.raiseViolation>

export type RegisterHyperNodeParams = FunctionArguments<typeof functions.registerHyperNode>
export type RegisterHyperNodeReturn = FunctionReturn<typeof functions.registerHyperNode>

export type RenounceOwnershipParams = FunctionArguments<typeof functions.renounceOwnership>
export type RenounceOwnershipReturn = FunctionReturn<typeof functions.renounceOwnership>

export type SetHyperNodeStatusParams = FunctionArguments<typeof functions.setHyperNodeStatus>
export type SetHyperNodeStatusReturn = FunctionReturn<typeof functions.setHyperNodeStatus>

export type TransferOwnershipParams = FunctionArguments<typeof functions.transferOwnership>
export type TransferOwnershipReturn = FunctionReturn<typeof functions.transferOwnership>


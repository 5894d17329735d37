import * as p from '@subsquid/evm-codec'
import { event, fun, viewFun, indexed, ContractBase } from '@subsquid/evm-abi'
import type { EventParams as EParams, FunctionArguments, FunctionReturn } from '@subsquid/evm-abi'

export const events = {
    CollateralDelegated: event("0x3aebfe1b7690c3b1fbd2769aaa61a204f1a0dfbed2d26928c3b3d0fbcab4d96b", "CollateralDelegated(uint256,address,uint256,uint256,uint256)", {"nodeId": indexed(p.uint256), "delegator": indexed(p.address), "amount": indexed(p.uint256), "apyScalingFactor": p.uint256, "unlockTimestamp": p.uint256}),
    CollateralDelegatedV2: event("0x30efbedbdbae207c6d7098ea3b32dbe8862cd253eff2e2c8dd8b8a71b0142807", "CollateralDelegatedV2(uint256,uint256,address,uint256,uint256,uint256)", {"nodeId": indexed(p.uint256), "lockedDelegationIndex": indexed(p.uint256), "delegator": indexed(p.address), "apyScalingFactor": p.uint256, "unlockTimestamp": p.uint256, "amount": p.uint256}),
    CollateralReclaimed: event("0x3c4b518d520acf5de7eebfff6485c9a4499e8067dc5f7e56961a7900b4fc96e6", "CollateralReclaimed(address,uint256,uint256)", {"delegator": indexed(p.address), "lockedDelegationIndex": indexed(p.uint256), "nodeDelegationIndex": indexed(p.uint256)}),
    CollateralSlashed: event("0x90fd1ceb2b47f8674d6da47fbd3c0d0b1a9fbb55b6ee08abd6efcd3a29053bcb", "CollateralSlashed(uint256,uint256,uint256,uint256,bytes32)", {"nodeId": indexed(p.uint256), "era": indexed(p.uint256), "providerAmount": p.uint256, "delegatorAmount": p.uint256, "reason": p.bytes32}),
    CollateralUndelegated: event("0xca29905f29ee9f9b1a9ec1ccb5dcb4b1d73d2b58a2cba6ca7a547c53303c5ce9", "CollateralUndelegated(address,uint256,uint256)", {"delegator": indexed(p.address), "lockedDelegationIndex": indexed(p.uint256), "nodeDelegationIndex": indexed(p.uint256)}),
    DelegationCreated: event("0xef7c781666de792b1c7bc9ad3d60d6b24e88f2932d1f6b86f66dd4afa4226716", "DelegationCreated(uint256,address,uint256,uint256,uint256,uint256)", {"nodeId": indexed(p.uint256), "delegator": indexed(p.address), "lockedDelegationIndex": indexed(p.uint256), "apyScalingFactor": p.uint256, "unlockTimestamp": p.uint256, "amount": p.uint256}),
    HPDelegationICNTRewardsClaimedV2: event("0x0367c55cf4b91463e46413addaabb12591f8e468a7bf7ccdd54855bc22eb0ea6", "HPDelegationICNTRewardsClaimedV2(address,uint256,uint256)", {"delegator": indexed(p.address), "pendingRewardsClaimIndex": indexed(p.uint256), "amount": p.uint256}),
    HpRewardClaimed: event("0x7f534fcaca55537cca5c4a01df217571088f6f3a90616a46f80da6858ff64028", "HpRewardClaimed(address,uint256,uint256)", {"hp": indexed(p.address), "amount": indexed(p.uint256), "claimIndex": indexed(p.uint256)}),
    OwnershipTransferred: event("0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0", "OwnershipTransferred(address,address)", {"previousOwner": indexed(p.address), "newOwner": indexed(p.address)}),
    PendingRewardsClaimInitialized: event("0x363c4b9cbd7bca2f9d624e32c416148aa8379f1e581544b473fae7fb2c940717", "PendingRewardsClaimInitialized(address,uint256,uint256)", {"delegator": indexed(p.address), "amount": indexed(p.uint256), "unlockTimestamp": p.uint256}),
    ScalerNodeCapacityChanged: event("0x20e2100851ca46ab977b65bb2fde891cf69aefe1666a17d7a179da0ffa453ff5", "ScalerNodeCapacityChanged(uint256,uint256)", {"nodeId": indexed(p.uint256), "totalCapacity": p.uint256}),
    ScalerNodeRegistered: event("0x96cc2422eb46395555e8465cbe574d03ec241eb837e47d883cd8bbdfcd83ffe2", "ScalerNodeRegistered(uint256,address,string,string,uint256,uint256,uint64)", {"nodeId": indexed(p.uint256), "hardwareProvider": indexed(p.address), "regionId": p.string, "hwClass": p.string, "totalCapacity": p.uint256, "collateral": p.uint256, "commitmentEnd": p.uint64}),
    ScalerNodeStatusChanged: event("0x64cb1d76553ffc633c2cd2ddd04eb1f6b031df9eb4b4715557af044a8dac24d1", "ScalerNodeStatusChanged(uint256,uint8)", {"nodeId": indexed(p.uint256), "status": p.uint8}),
    UnlockedTokensWithdrawn: event("0x01adec6171847f068547c93330fbca71b950110d528ad35a0babb242292227ef", "UnlockedTokensWithdrawn(address,uint256,uint256)", {"delegator": indexed(p.address), "lockedDelegationIndex": indexed(p.uint256), "amount": indexed(p.uint256)}),
}

export const functions = {
    ERA: viewFun("0xa2d966ea", "ERA()", {}, p.uint256),
    MAX_LOCK: viewFun("0x65a5d5f0", "MAX_LOCK()", {}, p.uint256),
    MIN_COMMITMENT: viewFun("0x96b37bde", "MIN_COMMITMENT()", {}, p.uint256),
    MIN_LOCK: viewFun("0xf8764cec", "MIN_LOCK()", {}, p.uint256),
    ONE_MONTH: viewFun("0x20988cef", "ONE_MONTH()", {}, p.uint256),
    RECLAIM_DELAY: viewFun("0x35f90b29", "RECLAIM_DELAY()", {}, p.uint256),
    STATUS_REGISTERED: viewFun("0xca7a081e", "STATUS_REGISTERED()", {}, p.uint8),
    STATUS_REJECTED: viewFun("0x3a6c6604", "STATUS_REJECTED()", {}, p.uint8),
    STATUS_REMOVED: viewFun("0x8cca4bd6", "STATUS_REMOVED()", {}, p.uint8),
    STATUS_VALIDATED: viewFun("0xa6801198", "STATUS_VALIDATED()", {}, p.uint8),
    accruedRewards: viewFun("0x128fced1", "accruedRewards(address)", {"account": p.address}, p.uint256),
    capacityMarket: viewFun("0xf072c79f", "capacityMarket()", {}, p.address),
    claimDelegatorRewards: fun("0x6e9ed963", "claimDelegatorRewards(uint256)", {"pendingRewardsClaimIndex": p.uint256}, ),
    claimHpReward: fun("0x7644a7c9", "claimHpReward(uint256)", {"amount": p.uint256}, p.uint256),
    creditRewards: fun("0x843572c8", "creditRewards(address[],uint256[])", {"accounts": p.array(p.address), "amounts": p.array(p.uint256)}, ),
    delegate: fun("0xf3444cb3", "delegate(uint256,uint256,uint256,uint64)", {"nodeId": p.uint256, "amount": p.uint256, "apyScalingFactor": p.uint256, "unlockTimestamp": p.uint64}, p.uint256),
    delegationCount: viewFun("0x58fb5218", "delegationCount(address)", {"delegator": p.address}, p.uint256),
    delegationEventVersion: viewFun("0x9205fa63", "delegationEventVersion()", {}, p.uint8),
    getDelegation: viewFun("0xca40edf1", "getDelegation(address,uint256)", {"delegator": p.address, "lockedDelegationIndex": p.uint256}, {"nodeId": p.uint256, "nodeDelegationIndex": p.uint256, "amount": p.uint256, "apyScalingFactor": p.uint256, "unlockTimestamp": p.uint64, "undelegatedAt": p.uint64, "undelegated": p.bool, "reclaimed": p.bool}),
    getNode: viewFun("0x4f0f4aa9", "getNode(uint256)", {"nodeId": p.uint256}, {"hardwareProvider": p.address, "regionId": p.string, "hwClass": p.string, "totalCapacity": p.uint256, "collateral": p.uint256, "commitmentEnd": p.uint64, "status": p.uint8, "delegatedTotal": p.uint256, "delegatorPositions": p.uint256}),
    getPendingRewardsClaim: viewFun("0xe1650763", "getPendingRewardsClaim(address,uint256)", {"delegator": p.address, "pendingRewardsClaimIndex": p.uint256}, {"amount": p.uint256, "unlockTimestamp": p.uint64, "claimed": p.bool}),
    hardwareProviderOf: viewFun("0x0aad66aa", "hardwareProviderOf(uint256)", {"nodeId": p.uint256}, p.address),
    hpRewardClaimCount: viewFun("0x603ed22c", "hpRewardClaimCount(address)", {"hp": p.address}, p.uint256),
    initRewardsClaim: fun("0xc5e3c81b", "initRewardsClaim(uint256,uint64)", {"amount": p.uint256, "unlockTimestamp": p.uint64}, p.uint256),
    nodeCount: viewFun("0x6da49b83", "nodeCount()", {}, p.uint256),
    nodeStatus: viewFun("0xffa41ca1", "nodeStatus(uint256)", {"nodeId": p.uint256}, p.uint8),
    nodeTotalCapacity: viewFun("0xbd055cf9", "nodeTotalCapacity(uint256)", {"nodeId": p.uint256}, p.uint256),
    owner: viewFun("0x8da5cb5b", "owner()", {}, p.address),
    pendingRewardsClaimCount: viewFun("0x371b1831", "pendingRewardsClaimCount(address)", {"delegator": p.address}, p.uint256),
    reclaim: fun("0x2dabbeed", "reclaim(uint256)", {"lockedDelegationIndex": p.uint256}, ),
    registerNode: fun("0xbda14c7c", "registerNode(string,string,uint256,uint256,uint64)", {"regionId": p.string, "hwClass": p.string, "totalCapacity": p.uint256, "collateral": p.uint256, "commitmentEnd": p.uint64}, p.uint256),
    renounceOwnership: fun("0x715018a6", "renounceOwnership()", {}, ),
    rewardsDistributor: viewFun("0x3f2a5540", "rewardsDistributor()", {}, p.address),
    setCapacityMarket: fun("0xcdcf6ba8", "setCapacityMarket(address)", {"market": p.address}, ),
    setDelegationEventVersion: fun("0x4ea2788d", "setDelegationEventVersion(uint8)", {"v": p.uint8}, ),
    setNodeCapacity: fun("0x2c9ea847", "setNodeCapacity(uint256,uint256)", {"nodeId": p.uint256, "totalCapacity": p.uint256}, ),
    setNodeStatus: fun("0xbd896a77", "setNodeStatus(uint256,uint8)", {"nodeId": p.uint256, "status": p.uint8}, ),
    slash: fun("0x9c569a4d", "slash(uint256,uint256,uint256,uint256,bytes32)", {"nodeId": p.uint256, "era": p.uint256, "providerAmount": p.uint256, "delegatorAmount": p.uint256, "reason": p.bytes32}, ),
    token: viewFun("0xfc0c546a", "token()", {}, p.address),
    transferOwnership: fun("0xf2fde38b", "transferOwnership(address)", {"newOwner": p.address}, ),
    treasury: viewFun("0x61d027b3", "treasury()", {}, p.address),
    undelegate: fun("0x6c68c0e1", "undelegate(uint256)", {"lockedDelegationIndex": p.uint256}, ),
    withdraw: fun("0x441a3e70", "withdraw(uint256,uint256)", {"lockedDelegationIndex": p.uint256, "amount": p.uint256}, ),
}

export class Contract extends ContractBase {

    ERA() {
        return this.eth_call(functions.ERA, {})
    }

    MAX_LOCK() {
        return this.eth_call(functions.MAX_LOCK, {})
    }

    MIN_COMMITMENT() {
        return this.eth_call(functions.MIN_COMMITMENT, {})
    }

    MIN_LOCK() {
        return this.eth_call(functions.MIN_LOCK, {})
    }

    ONE_MONTH() {
        return this.eth_call(functions.ONE_MONTH, {})
    }

    RECLAIM_DELAY() {
        return this.eth_call(functions.RECLAIM_DELAY, {})
    }

    STATUS_REGISTERED() {
        return this.eth_call(functions.STATUS_REGISTERED, {})
    }

    STATUS_REJECTED() {
        return this.eth_call(functions.STATUS_REJECTED, {})
    }

    STATUS_REMOVED() {
        return this.eth_call(functions.STATUS_REMOVED, {})
    }

    STATUS_VALIDATED() {
        return this.eth_call(functions.STATUS_VALIDATED, {})
    }

    accruedRewards(account: AccruedRewardsParams["account"]) {
        return this.eth_call(functions.accruedRewards, {account})
    }

    capacityMarket() {
        return this.eth_call(functions.capacityMarket, {})
    }

    delegationCount(delegator: DelegationCountParams["delegator"]) {
        return this.eth_call(functions.delegationCount, {delegator})
    }

    delegationEventVersion() {
        return this.eth_call(functions.delegationEventVersion, {})
    }

    getDelegation(delegator: GetDelegationParams["delegator"], lockedDelegationIndex: GetDelegationParams["lockedDelegationIndex"]) {
        return this.eth_call(functions.getDelegation, {delegator, lockedDelegationIndex})
    }

    getNode(nodeId: GetNodeParams["nodeId"]) {
        return this.eth_call(functions.getNode, {nodeId})
    }

    getPendingRewardsClaim(delegator: GetPendingRewardsClaimParams["delegator"], pendingRewardsClaimIndex: GetPendingRewardsClaimParams["pendingRewardsClaimIndex"]) {
        return this.eth_call(functions.getPendingRewardsClaim, {delegator, pendingRewardsClaimIndex})
    }

    hardwareProviderOf(nodeId: HardwareProviderOfParams["nodeId"]) {
        return this.eth_call(functions.hardwareProviderOf, {nodeId})
    }

    hpRewardClaimCount(hp: HpRewardClaimCountParams["hp"]) {
        return this.eth_call(functions.hpRewardClaimCount, {hp})
    }

    nodeCount() {
        return this.eth_call(functions.nodeCount, {})
    }

    nodeStatus(nodeId: NodeStatusParams["nodeId"]) {
        return this.eth_call(functions.nodeStatus, {nodeId})
    }

    nodeTotalCapacity(nodeId: NodeTotalCapacityParams["nodeId"]) {
        return this.eth_call(functions.nodeTotalCapacity, {nodeId})
    }

    owner() {
        return this.eth_call(functions.owner, {})
    }

    pendingRewardsClaimCount(delegator: PendingRewardsClaimCountParams["delegator"]) {
        return this.eth_call(functions.pendingRewardsClaimCount, {delegator})
    }

    rewardsDistributor() {
        return this.eth_call(functions.rewardsDistributor, {})
    }

    token() {
        return this.eth_call(functions.token, {})
    }

    treasury() {
        return this.eth_call(functions.treasury, {})
    }
}

/// Event types
export type CollateralDelegatedEventArgs = EParams<typeof events.CollateralDelegated>
export type CollateralDelegatedV2EventArgs = EParams<typeof events.CollateralDelegatedV2>
export type CollateralReclaimedEventArgs = EParams<typeof events.CollateralReclaimed>
export type CollateralSlashedEventArgs = EParams<typeof events.CollateralSlashed>
export type CollateralUndelegatedEventArgs = EParams<typeof events.CollateralUndelegated>
export type DelegationCreatedEventArgs = EParams<typeof events.DelegationCreated>
export type HPDelegationICNTRewardsClaimedV2EventArgs = EParams<typeof events.HPDelegationICNTRewardsClaimedV2>
export type HpRewardClaimedEventArgs = EParams<typeof events.HpRewardClaimed>
export type OwnershipTransferredEventArgs = EParams<typeof events.OwnershipTransferred>
export type PendingRewardsClaimInitializedEventArgs = EParams<typeof events.PendingRewardsClaimInitialized>
export type ScalerNodeCapacityChangedEventArgs = EParams<typeof events.ScalerNodeCapacityChanged>
export type ScalerNodeRegisteredEventArgs = EParams<typeof events.ScalerNodeRegistered>
export type ScalerNodeStatusChangedEventArgs = EParams<typeof events.ScalerNodeStatusChanged>
export type UnlockedTokensWithdrawnEventArgs = EParams<typeof events.UnlockedTokensWithdrawn>

/// Function types
export type ERAParams = FunctionArguments<typeof functions.ERA>
export type ERAReturn = FunctionReturn<typeof functions.ERA>

export type MAX_LOCKParams = FunctionArguments<typeof functions.MAX_LOCK>
export type MAX_LOCKReturn = FunctionReturn<typeof functions.MAX_LOCK>

export type MIN_COMMITMENTParams = FunctionArguments<typeof functions.MIN_COMMITMENT>
export type MIN_COMMITMENTReturn = FunctionReturn<typeof functions.MIN_COMMITMENT>

export type MIN_LOCKParams = FunctionArguments<typeof functions.MIN_LOCK>
export type MIN_LOCKReturn = FunctionReturn<typeof functions.MIN_LOCK>

export type ONE_MONTHParams = FunctionArguments<typeof functions.ONE_MONTH>
export type ONE_MONTHReturn = FunctionReturn<typeof functions.ONE_MONTH>

export type RECLAIM_DELAYParams = FunctionArguments<typeof functions.RECLAIM_DELAY>
export type RECLAIM_DELAYReturn = FunctionReturn<typeof functions.RECLAIM_DELAY>

export type STATUS_REGISTEREDParams = FunctionArguments<typeof functions.STATUS_REGISTERED>
export type STATUS_REGISTEREDReturn = FunctionReturn<typeof functions.STATUS_REGISTERED>

export type STATUS_REJECTEDParams = FunctionArguments<typeof functions.STATUS_REJECTED>
export type STATUS_REJECTEDReturn = FunctionReturn<typeof functions.STATUS_REJECTED>

export type STATUS_REMOVEDParams = FunctionArguments<typeof functions.STATUS_REMOVED>
export type STATUS_REMOVEDReturn = FunctionReturn<typeof functions.STATUS_REMOVED>

export type STATUS_VALIDATEDParams = FunctionArguments<typeof functions.STATUS_VALIDATED>
export type STATUS_VALIDATEDReturn = FunctionReturn<typeof functions.STATUS_VALIDATED>

export type AccruedRewardsParams = FunctionArguments<typeof functions.accruedRewards>
export type AccruedRewardsReturn = FunctionReturn<typeof functions.accruedRewards>

export type CapacityMarketParams = FunctionArguments<typeof functions.capacityMarket>
export type CapacityMarketReturn = FunctionReturn<typeof functions.capacityMarket>

export type ClaimDelegatorRewardsParams = FunctionArguments<typeof functions.claimDelegatorRewards>
export type ClaimDelegatorRewardsReturn = FunctionReturn<typeof functions.claimDelegatorRewards>

export type ClaimHpRewardParams = FunctionArguments<typeof functions.claimHpReward>
export type ClaimHpRewardReturn = FunctionReturn<typeof functions.claimHpReward>

export type CreditRewardsParams = FunctionArguments<typeof functions.creditRewards>
export type CreditRewardsReturn = FunctionReturn<typeof functions.creditRewards>

export type DelegateParams = FunctionArguments<typeof functions.delegate>
export type DelegateReturn = FunctionReturn<typeof functions.delegate>

export type DelegationCountParams = FunctionArguments<typeof functions.delegationCount>
export type DelegationCountReturn = FunctionReturn<typeof functions.delegationCount>

export type DelegationEventVersionParams = FunctionArguments<typeof functions.delegationEventVersion>
export type DelegationEventVersionReturn = FunctionReturn<typeof functions.delegationEventVersion>

export type GetDelegationParams = FunctionArguments<typeof functions.getDelegation>
export type GetDelegationReturn = FunctionReturn<typeof functions.getDelegation>

export type GetNodeParams = FunctionArguments<typeof functions.getNode>
export type GetNodeReturn = FunctionReturn<typeof functions.getNode>

export type GetPendingRewardsClaimParams = FunctionArguments<typeof functions.getPendingRewardsClaim>
export type GetPendingRewardsClaimReturn = FunctionReturn<typeof functions.getPendingRewardsClaim>

export type HardwareProviderOfParams = FunctionArguments<typeof functions.hardwareProviderOf>
export type HardwareProviderOfReturn = FunctionReturn<typeof functions.hardwareProviderOf>

export type HpRewardClaimCountParams = FunctionArguments<typeof functions.hpRewardClaimCount>
export type HpRewardClaimCountReturn = FunctionReturn<typeof functions.hpRewardClaimCount>

export type InitRewardsClaimParams = FunctionArguments<typeof functions.initRewardsClaim>
export type InitRewardsClaimReturn = FunctionReturn<typeof functions.initRewardsClaim>

export type NodeCountParams = FunctionArguments<typeof functions.nodeCount>
export type NodeCountReturn = FunctionReturn<typeof functions.nodeCount>

export type NodeStatusParams = FunctionArguments<typeof functions.nodeStatus>
export type NodeStatusReturn = FunctionReturn<typeof functions.nodeStatus>

export type NodeTotalCapacityParams = FunctionArguments<typeof functions.nodeTotalCapacity>
export type NodeTotalCapacityReturn = FunctionReturn<typeof functions.nodeTotalCapacity>

export type OwnerParams = FunctionArguments<typeof functions.owner>
export type OwnerReturn = FunctionReturn<typeof functions.owner>

export type PendingRewardsClaimCountParams = FunctionArguments<typeof functions.pendingRewardsClaimCount>
export type PendingRewardsClaimCountReturn = FunctionReturn<typeof functions.pendingRewardsClaimCount>

export type ReclaimParams = FunctionArguments<typeof functions.reclaim>
export type ReclaimReturn = FunctionReturn<typeof functions.reclaim>

export type RegisterNodeParams = FunctionArguments<typeof functions.registerNode>
export type RegisterNodeReturn = FunctionReturn<typeof functions.registerNode>

export type RenounceOwnershipParams = FunctionArguments<typeof functions.renounceOwnership>
export type RenounceOwnershipReturn = FunctionReturn<typeof functions.renounceOwnership>

export type RewardsDistributorParams = FunctionArguments<typeof functions.rewardsDistributor>
export type RewardsDistributorReturn = FunctionReturn<typeof functions.rewardsDistributor>

export type SetCapacityMarketParams = FunctionArguments<typeof functions.setCapacityMarket>
export type SetCapacityMarketReturn = FunctionReturn<typeof functions.setCapacityMarket>

export type SetDelegationEventVersionParams = FunctionArguments<typeof functions.setDelegationEventVersion>
export type SetDelegationEventVersionReturn = FunctionReturn<typeof functions.setDelegationEventVersion>

export type SetNodeCapacityParams = FunctionArguments<typeof functions.setNodeCapacity>
export type SetNodeCapacityReturn = FunctionReturn<typeof functions.setNodeCapacity>

export type SetNodeStatusParams = FunctionArguments<typeof functions.setNodeStatus>
export type SetNodeStatusReturn = FunctionReturn<typeof functions.setNodeStatus>

export type SlashParams = FunctionArguments<typeof functions.slash>
export type SlashReturn = FunctionReturn<typeof functions.slash>

export type TokenParams = FunctionArguments<typeof functions.token>
export type TokenReturn = FunctionReturn<typeof functions.token>

export type TransferOwnershipParams = FunctionArguments<typeof functions.transferOwnership>
export type TransferOwnershipReturn = FunctionReturn<typeof functions.transferOwnership>

export type TreasuryParams = FunctionArguments<typeof functions.treasury>
export type TreasuryReturn = FunctionReturn<typeof functions.treasury>

export type UndelegateParams = FunctionArguments<typeof functions.undelegate>
export type UndelegateReturn = FunctionReturn<typeof functions.undelegate>

export type WithdrawParams = FunctionArguments<typeof functions.withdraw>
export type WithdrawReturn = FunctionReturn<typeof functions.withdraw>


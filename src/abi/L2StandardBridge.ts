import * as p from '@subsquid/evm-codec'
import { event, fun, viewFun, indexed, ContractBase } from '@subsquid/evm-abi'
import type { EventParams as EParams, FunctionArguments, FunctionReturn } from '@subsquid/evm-abi'

export const events = {
    DepositFinalized: event("0xb0444523268717a02698be47d0803aa7468c00acbed2f8bd93a0459cde61dd89", "DepositFinalized(address,address,address,address,uint256,bytes)", {"l1Token": indexed(p.address), "l2Token": indexed(p.address), "from": indexed(p.address), "to": p.address, "amount": p.uint256, "extraData": p.bytes}),
    WithdrawalInitiated: event("0x73d170910aba9e6d50b102db522b1dbcd796216f5128b445aa2135272886497e", "WithdrawalInitiated(address,address,address,address,uint256,bytes)", {"l1Token": indexed(p.address), "l2Token": indexed(p.address), "from": indexed(p.address), "to": p.address, "amount": p.uint256, "extraData": p.bytes}),
}

export const functions = {
    finalizeDeposit: fun("0x662a633a", "finalizeDeposit(address,address,address,address,uint256,bytes)", {"l1Token": p.address, "l2Token": p.address, "from": p.address, "to": p.address, "amount": p.uint256, "extraData": p.bytes}, ),
    relayer: viewFun("0x8406c079", "relayer()", {}, p.address),
    withdrawTo: fun("0xa3a79548", "withdrawTo(address,address,uint256,uint32,bytes)", {"l2Token": p.address, "to": p.address, "amount": p.uint256, "minGasLimit": p.uint32, "extraData": p.bytes}, ),
}

export class Contract extends ContractBase {

    relayer() {
        return this.eth_call(functions.relayer, {})
    }
}

/// Event types
export type DepositFinalizedEventArgs = EParams<typeof events.DepositFinalized>
export type WithdrawalInitiatedEventArgs = EParams<typeof events.WithdrawalInitiated>

/// Function types
export type FinalizeDepositParams = FunctionArguments<typeof functions.finalizeDeposit>
export type FinalizeDepositReturn = FunctionReturn<typeof functions.finalizeDeposit>

export type RelayerParams = FunctionArguments<typeof functions.relayer>
export type RelayerReturn = FunctionReturn<typeof functions.relayer>

export type WithdrawToParams = FunctionArguments<typeof functions.withdrawTo>
export type WithdrawToReturn = FunctionReturn<typeof functions.withdrawTo>


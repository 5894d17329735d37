import * as p from '@subsquid/evm-codec'
import { event, fun, viewFun, indexed, ContractBase } from '@subsquid/evm-abi'
import type { EventParams as EParams, FunctionArguments, FunctionReturn } from '@subsquid/evm-abi'

export const events = {
    ERC20DepositInitiated: event("0x718594027abd4eaed59f95162563e0cc6d0e8d5b86b1c7be8b1b0ac3343d0396", "ERC20DepositInitiated(address,address,address,address,uint256,bytes)", {"l1Token": indexed(p.address), "l2Token": indexed(p.address), "from": indexed(p.address), "to": p.address, "amount": p.uint256, "extraData": p.bytes}),
    ERC20WithdrawalFinalized: event("0x3ceee06c1e37648fcbb6ed52e17b3e1f275a1f8c7b22a84b2b84732431e046b3", "ERC20WithdrawalFinalized(address,address,address,address,uint256,bytes)", {"l1Token": indexed(p.address), "l2Token": indexed(p.address), "from": indexed(p.address), "to": p.address, "amount": p.uint256, "extraData": p.bytes}),
}

export const functions = {
    depositERC20To: fun("0x838b2520", "depositERC20To(address,address,address,uint256,uint32,bytes)", {"l1Token": p.address, "l2Token": p.address, "to": p.address, "amount": p.uint256, "minGasLimit": p.uint32, "extraData": p.bytes}, ),
    deposits: viewFun("0x8f601f66", "deposits(address,address)", {"_0": p.address, "_1": p.address}, p.uint256),
    finalizeERC20Withdrawal: fun("0xa9f9e675", "finalizeERC20Withdrawal(address,address,address,address,uint256,bytes)", {"l1Token": p.address, "l2Token": p.address, "from": p.address, "to": p.address, "amount": p.uint256, "extraData": p.bytes}, ),
    relayer: viewFun("0x8406c079", "relayer()", {}, p.address),
}

export class Contract extends ContractBase {

    deposits(_0: DepositsParams["_0"], _1: DepositsParams["_1"]) {
        return this.eth_call(functions.deposits, {_0, _1})
    }

    relayer() {
        return this.eth_call(functions.relayer, {})
    }
}

/// Event types
export type ERC20DepositInitiatedEventArgs = EParams<typeof events.ERC20DepositInitiated>
export type ERC20WithdrawalFinalizedEventArgs = EParams<typeof events.ERC20WithdrawalFinalized>

/// Function types
export type DepositERC20ToParams = FunctionArguments<typeof functions.depositERC20To>
export type DepositERC20ToReturn = FunctionReturn<typeof functions.depositERC20To>

export type DepositsParams = FunctionArguments<typeof functions.deposits>
export type DepositsReturn = FunctionReturn<typeof functions.deposits>

export type FinalizeERC20WithdrawalParams = FunctionArguments<typeof functions.finalizeERC20Withdrawal>
export type FinalizeERC20WithdrawalReturn = FunctionReturn<typeof functions.finalizeERC20Withdrawal>

export type RelayerParams = FunctionArguments<typeof functions.relayer>
export type RelayerReturn = FunctionReturn<typeof functions.relayer>


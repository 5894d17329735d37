import * as p from '@subsquid/evm-codec'
import { event, fun, viewFun, indexed, ContractBase } from '@subsquid/evm-abi'
import type { EventParams as EParams, FunctionArguments, FunctionReturn } from '@subsquid/evm-abi'

export const events = {
    OwnershipTransferred: event("0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0", "OwnershipTransferred(address,address)", {"previousOwner": indexed(p.address), "newOwner": indexed(p.address)}),
    TokensReleased: event("0xa6c812047c4dc10f52f9e7943b1b3dfafae864d5e0d4ded081bbbde69dd6ff0d", "TokensReleased(uint256,address,uint256)", {"scheduleId": indexed(p.uint256), "beneficiary": indexed(p.address), "amount": p.uint256}),
    VestingCurveSet: event("0xd7f83a39e9c3a543840154d9399a7f60fa3d913c58c75b8485f9d3faba23adc1", "VestingCurveSet(uint256,uint256[])", {"scheduleId": indexed(p.uint256), "monthlyAmounts": p.array(p.uint256)}),
    VestingScheduleCreated: event("0x1e8339ab07f63e4b52eee2028d7b5651885cc642d34ff7cec2974f1884e89952", "VestingScheduleCreated(uint256,address,bytes32,uint256,uint256,uint64,uint64,uint64)", {"scheduleId": indexed(p.uint256), "beneficiary": indexed(p.address), "category": indexed(p.bytes32), "total": p.uint256, "immediate": p.uint256, "start": p.uint64, "cliff": p.uint64, "duration": p.uint64}),
    VestingScheduleRevoked: event("0x6e56bb83c2bc2ecbfd98f0d1ec3c234f2e99d946da4079741045201ea735a617", "VestingScheduleRevoked(uint256,uint256)", {"scheduleId": indexed(p.uint256), "unvestedReturned": p.uint256}),
}

export const functions = {
    ONE_MONTH: viewFun("0x20988cef", "ONE_MONTH()", {}, p.uint256),
    createCurveSchedule: fun("0x8e7803d7", "createCurveSchedule(address,bytes32,uint256,uint256,uint64,uint256[])", {"beneficiary": p.address, "category": p.bytes32, "total": p.uint256, "immediate": p.uint256, "start": p.uint64, "monthlyAmounts": p.array(p.uint256)}, p.uint256),
    createSchedule: fun("0xf56003f7", "createSchedule(address,bytes32,uint256,uint256,uint64,uint64,uint64)", {"beneficiary": p.address, "category": p.bytes32, "total": p.uint256, "immediate": p.uint256, "start": p.uint64, "cliff": p.uint64, "duration": p.uint64}, p.uint256),
    getCurve: viewFun("0x5c9b035d", "getCurve(uint256)", {"scheduleId": p.uint256}, p.array(p.uint256)),
    getSchedule: viewFun("0xc5ca93a7", "getSchedule(uint256)", {"scheduleId": p.uint256}, {"beneficiary": p.address, "category": p.bytes32, "total": p.uint256, "immediate": p.uint256, "start": p.uint64, "cliff": p.uint64, "duration": p.uint64, "released": p.uint256, "revoked": p.bool, "revokedAt": p.uint64, "isCurve": p.bool}),
    owner: viewFun("0x8da5cb5b", "owner()", {}, p.address),
    releasable: viewFun("0xe4bf01a8", "releasable(uint256)", {"scheduleId": p.uint256}, p.uint256),
    release: fun("0x37bdc99b", "release(uint256)", {"scheduleId": p.uint256}, ),
    renounceOwnership: fun("0x715018a6", "renounceOwnership()", {}, ),
    revoke: fun("0x20c5429b", "revoke(uint256)", {"scheduleId": p.uint256}, ),
    scheduleCount: viewFun("0xb7ef81e1", "scheduleCount()", {}, p.uint256),
    token: viewFun("0xfc0c546a", "token()", {}, p.address),
    transferOwnership: fun("0xf2fde38b", "transferOwnership(address)", {"newOwner": p.address}, ),
    vestedAmount: viewFun("0x45c54011", "vestedAmount(uint256,uint64)", {"scheduleId": p.uint256, "timestamp": p.uint64}, p.uint256),
}

export class Contract extends ContractBase {

    ONE_MONTH() {
        return this.eth_call(functions.ONE_MONTH, {})
    }

    getCurve(scheduleId: GetCurveParams["scheduleId"]) {
        return this.eth_call(functions.getCurve, {scheduleId})
    }

    getSchedule(scheduleId: GetScheduleParams["scheduleId"]) {
        return this.eth_call(functions.getSchedule, {scheduleId})
    }

    owner() {
        return this.eth_call(functions.owner, {})
    }

    releasable(scheduleId: ReleasableParams["scheduleId"]) {
        return this.eth_call(functions.releasable, {scheduleId})
    }

    scheduleCount() {
        return this.eth_call(functions.scheduleCount, {})
    }

    token() {
        return this.eth_call(functions.token, {})
    }

    vestedAmount(scheduleId: VestedAmountParams["scheduleId"], timestamp: VestedAmountParams["timestamp"]) {
        return this.eth_call(functions.vestedAmount, {scheduleId, timestamp})
    }
}

/// Event types
export type OwnershipTransferredEventArgs = EParams<typeof events.OwnershipTransferred>
export type TokensReleasedEventArgs = EParams<typeof events.TokensReleased>
export type VestingCurveSetEventArgs = EParams<typeof events.VestingCurveSet>
export type VestingScheduleCreatedEventArgs = EParams<typeof events.VestingScheduleCreated>
export type VestingScheduleRevokedEventArgs = EParams<typeof events.VestingScheduleRevoked>

/// Function types
export type ONE_MONTHParams = FunctionArguments<typeof functions.ONE_MONTH>
export type ONE_MONTHReturn = FunctionReturn<typeof functions.ONE_MONTH>

export type CreateCurveScheduleParams = FunctionArguments<typeof functions.createCurveSchedule>
export type CreateCurveScheduleReturn = FunctionReturn<typeof functions.createCurveSchedule>

export type CreateScheduleParams = FunctionArguments<typeof functions.createSchedule>
export type CreateScheduleReturn = FunctionReturn<typeof functions.createSchedule>

export type GetCurveParams = FunctionArguments<typeof functions.getCurve>
export type GetCurveReturn = FunctionReturn<typeof functions.getCurve>

export type GetScheduleParams = FunctionArguments<typeof functions.getSchedule>
export type GetScheduleReturn = FunctionReturn<typeof functions.getSchedule>

export type OwnerParams = FunctionArguments<typeof functions.owner>
export type OwnerReturn = FunctionReturn<typeof functions.owner>

export type ReleasableParams = FunctionArguments<typeof functions.releasable>
export type ReleasableReturn = FunctionReturn<typeof functions.releasable>

export type ReleaseParams = FunctionArguments<typeof functions.release>
export type ReleaseReturn = FunctionReturn<typeof functions.release>

export type RenounceOwnershipParams = FunctionArguments<typeof functions.renounceOwnership>
export type RenounceOwnershipReturn = FunctionReturn<typeof functions.renounceOwnership>

export type RevokeParams = FunctionArguments<typeof functions.revoke>
export type RevokeReturn = FunctionReturn<typeof functions.revoke>

export type ScheduleCountParams = FunctionArguments<typeof functions.scheduleCount>
export type ScheduleCountReturn = FunctionReturn<typeof functions.scheduleCount>

export type TokenParams = FunctionArguments<typeof functions.token>
export type TokenReturn = FunctionReturn<typeof functions.token>

export type TransferOwnershipParams = FunctionArguments<typeof functions.transferOwnership>
export type TransferOwnershipReturn = FunctionReturn<typeof functions.transferOwnership>

export type VestedAmountParams = FunctionArguments<typeof functions.vestedAmount>
export type VestedAmountReturn = FunctionReturn<typeof functions.vestedAmount>


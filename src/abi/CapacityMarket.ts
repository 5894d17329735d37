import * as p from '@subsquid/evm-codec'
import { event, fun, viewFun, indexed, ContractBase } from '@subsquid/evm-abi'
import type { EventParams as EParams, FunctionArguments, FunctionReturn } from '@subsquid/evm-abi'

export const events = {
    BookingEnded: event("0x7399ec97870e5f7023143cf6f6e7f3eca44184923b46dae0248e6bdead269881", "BookingEnded(uint256,uint256,uint8)", {"bookingId": indexed(p.uint256), "nodeId": indexed(p.uint256), "reason": p.uint8}),
    BookingExtended: event("0x3a8dd073ae7d47494e9e366d4db70aa1dc5b3e6ca1a06c6e18c1df3d1c729c06", "BookingExtended(uint256,uint64,uint256)", {"bookingId": indexed(p.uint256), "newEndTime": p.uint64, "additionalPrice": p.uint256}),
    CapacityBooked: event("0xf03c9fd1a09c2e462f74085766ede69f67c820155c6a6d64064e98a3911f1e01", "CapacityBooked(uint256,uint256,address,uint256,uint256,uint64,uint64)", {"bookingId": indexed(p.uint256), "nodeId": indexed(p.uint256), "serviceProvider": indexed(p.address), "capacity": p.uint256, "price": p.uint256, "startTime": p.uint64, "endTime": p.uint64}),
    OwnershipTransferred: event("0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0", "OwnershipTransferred(address,address)", {"previousOwner": indexed(p.address), "newOwner": indexed(p.address)}),
}

export const functions = {
    END_CANCELLED: viewFun("0x02b176d4", "END_CANCELLED()", {}, p.uint8),
    END_EXPIRED: viewFun("0xed2941a8", "END_EXPIRED()", {}, p.uint8),
    END_PROVIDER_FAULT: viewFun("0x1af8f839", "END_PROVIDER_FAULT()", {}, p.uint8),
    HP_SHARE_PERCENT: viewFun("0x97062c25", "HP_SHARE_PERCENT()", {}, p.uint256),
    book: fun("0x43fcc69e", "book(uint256,uint256,uint64,uint64,uint256)", {"nodeId": p.uint256, "capacity": p.uint256, "startTime": p.uint64, "endTime": p.uint64, "price": p.uint256}, p.uint256),
    bookedCapacity: viewFun("0x0c859a48", "bookedCapacity(uint256)", {"nodeId": p.uint256}, p.uint256),
    bookingCount: viewFun("0x6d759172", "bookingCount()", {}, p.uint256),
    endBooking: fun("0x3d802749", "endBooking(uint256,uint8)", {"bookingId": p.uint256, "reason": p.uint8}, ),
    extend: fun("0x8f810c24", "extend(uint256,uint64,uint256)", {"bookingId": p.uint256, "newEndTime": p.uint64, "additionalPrice": p.uint256}, ),
    getBooking: viewFun("0x6a5c841a", "getBooking(uint256)", {"bookingId": p.uint256}, {"nodeId": p.uint256, "serviceProvider": p.address, "capacity": p.uint256, "price": p.uint256, "startTime": p.uint64, "endTime": p.uint64, "ended": p.bool, "endReason": p.uint8}),
    owner: viewFun("0x8da5cb5b", "owner()", {}, p.address),
    renounceOwnership: fun("0x715018a6", "renounceOwnership()", {}, ),
    staking: viewFun("0x4cf088d9", "staking()", {}, p.address),
    token: viewFun("0xfc0c546a", "token()", {}, p.address),
    transferOwnership: fun("0xf2fde38b", "transferOwnership(address)", {"newOwner": p.address}, ),
    treasury: viewFun("0x61d027b3", "treasury()", {}, p.address),
}

export class Contract extends ContractBase {

    END_CANCELLED() {
        return this.eth_call(functions.END_CANCELLED, {})
    }

    END_EXPIRED() {
        return this.eth_call(functions.END_EXPIRED, {})
    }

    END_PROVIDER_FAULT() {
        return this.eth_call(functions.END_PROVIDER_FAULT, {})
    }

    HP_SHARE_PERCENT() {
        return this.eth_call(functions.HP_SHARE_PERCENT, {})
    }

    bookedCapacity(nodeId: BookedCapacityParams["nodeId"]) {
        return this.eth_call(functions.bookedCapacity, {nodeId})
    }

    bookingCount() {
        return this.eth_call(functions.bookingCount, {})
    }

    getBooking(bookingId: GetBookingParams["bookingId"]) {
        return this.eth_call(functions.getBooking, {bookingId})
    }

    owner() {
        return this.eth_call(functions.owner, {})
    }

    staking() {
        return this.eth_call(functions.staking, {})
    }

    token() {
        return this.eth_call(functions.token, {})
    }

    treasury() {
        return this.eth_call(functions.treasury, {})
    }
}

/// Event types
export type BookingEndedEventArgs = EParams<typeof events.BookingEnded>
export type BookingExtendedEventArgs = EParams<typeof events.BookingExtended>
export type CapacityBookedEventArgs = EParams<typeof events.CapacityBooked>
export type OwnershipTransferredEventArgs = EParams<typeof events.OwnershipTransferred>

/// Function types
export type END_CANCELLEDParams = FunctionArguments<typeof functions.END_CANCELLED>
export type END_CANCELLEDReturn = FunctionReturn<typeof functions.END_CANCELLED>

export type END_EXPIREDParams = FunctionArguments<typeof functions.END_EXPIRED>
export type END_EXPIREDReturn = FunctionReturn<typeof functions.END_EXPIRED>

export type END_PROVIDER_FAULTParams = FunctionArguments<typeof functions.END_PROVIDER_FAULT>
export type END_PROVIDER_FAULTReturn = FunctionReturn<typeof functions.END_PROVIDER_FAULT>

export type HP_SHARE_PERCENTParams = FunctionArguments<typeof functions.HP_SHARE_PERCENT>
export type HP_SHARE_PERCENTReturn = FunctionReturn<typeof functions.HP_SHARE_PERCENT>

export type BookParams = FunctionArguments<typeof functions.book>
export type BookReturn = FunctionReturn<typeof functions.book>

export type BookedCapacityParams = FunctionArguments<typeof functions.bookedCapacity>
export type BookedCapacityReturn = FunctionReturn<typeof functions.bookedCapacity>

export type BookingCountParams = FunctionArguments<typeof functions.bookingCount>
export type BookingCountReturn = FunctionReturn<typeof functions.bookingCount>

export type EndBookingParams = FunctionArguments<typeof functions.endBooking>
export type EndBookingReturn = FunctionReturn<typeof functions.endBooking>

export type ExtendParams = FunctionArguments<typeof functions.extend>
export type ExtendReturn = FunctionReturn<typeof functions.extend>

export type GetBookingParams = FunctionArguments<typeof functions.getBooking>
export type GetBookingReturn = FunctionReturn<typeof functions.getBooking>

export type OwnerParams = FunctionArguments<typeof functions.owner>
export type OwnerReturn = FunctionReturn<typeof functions.owner>

export type RenounceOwnershipParams = FunctionArguments<typeof functions.renounceOwnership>
export type RenounceOwnershipReturn = FunctionReturn<typeof functions.renounceOwnership>

export type StakingParams = FunctionArguments<typeof functions.staking>
export type StakingReturn = FunctionReturn<typeof functions.staking>

export type TokenParams = FunctionArguments<typeof functions.token>
export type TokenReturn = FunctionReturn<typeof functions.token>

export type TransferOwnershipParams = FunctionArguments<typeof functions.transferOwnership>
export type TransferOwnershipReturn = FunctionReturn<typeof functions.transferOwnership>

export type TreasuryParams = FunctionArguments<typeof functions.treasury>
export type TreasuryReturn = FunctionReturn<typeof functions.treasury>


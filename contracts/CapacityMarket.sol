// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @dev The node registry views the market reads from ICNStaking. They return zero
///      values for an unknown node, whose status 0 fails the "validated" check.
interface IScalerNodeRegistry {
    function nodeStatus(uint256 nodeId) external view returns (uint8);
    function nodeTotalCapacity(uint256 nodeId) external view returns (uint256);
    function hardwareProviderOf(uint256 nodeId) external view returns (address);
}

/// @title CapacityMarket: service providers book capacity on scaler nodes (devnet reference)
/// @notice Payment is up front and final: 75% to the node's hardware provider, 25% to the
///         treasury, as two Transfers in the booking's transaction. No escrow, no refunds,
///         so this contract never holds ICNT.
/// @dev Invariants:
///        a booking is active iff !ended && endTime > block.timestamp;
///        bookedCapacity(node) == Σ capacity of the node's active bookings
///          <= staking.nodeTotalCapacity(node) (enforced here at booking time and by
///          ICNStaking.setNodeCapacity afterwards);
///        `_active[node]` holds exactly the node's bookings that have not ended
///          (expired-but-not-ended ones included, skipped by bookedCapacity).
contract CapacityMarket is Ownable {
    using SafeERC20 for IERC20;

    /// @notice Hardware provider's share of every payment, in percent.
    uint256 public constant HP_SHARE_PERCENT = 75;

    uint8 public constant END_EXPIRED = 0;
    uint8 public constant END_CANCELLED = 1;
    uint8 public constant END_PROVIDER_FAULT = 2;

    uint8 private constant NODE_VALIDATED = 2;

    struct Booking {
        uint256 nodeId;
        address serviceProvider;
        uint64 startTime; // packed with serviceProvider
        uint64 endTime;
        uint64 activeSlot; // index in _active[nodeId] while not ended
        bool ended;
        uint8 endReason;
        uint256 capacity;
        uint256 price; // gross paid: initial price plus every extension
    }

    IERC20 public immutable token;
    IScalerNodeRegistry public immutable staking;
    /// @notice Receives the protocol margin.
    address public immutable treasury;

    uint256 private _bookingCount; // booking ids are 1.._bookingCount
    mapping(uint256 bookingId => Booking) private _bookings;
    mapping(uint256 nodeId => uint256[] bookingIds) private _active;

    event CapacityBooked(
        uint256 indexed bookingId,
        uint256 indexed nodeId,
        address indexed serviceProvider,
        uint256 capacity,
        uint256 price,
        uint64 startTime,
        uint64 endTime
    );
    event BookingExtended(uint256 indexed bookingId, uint64 newEndTime, uint256 additionalPrice);
    event BookingEnded(uint256 indexed bookingId, uint256 indexed nodeId, uint8 reason);

    error ZeroAddress();
    error ZeroCapacity();
    error NodeNotValidated(uint256 nodeId, uint8 status);
    error InvalidTimeRange(uint64 startTime, uint64 endTime);
    error EndInPast(uint64 endTime);
    error InsufficientCapacity(uint256 nodeId, uint256 requested, uint256 free);
    error UnknownBooking(uint256 bookingId);
    error NotServiceProvider(uint256 bookingId, address caller);
    error BookingNotActive(uint256 bookingId);
    error EndNotExtended(uint64 endTime, uint64 newEndTime);
    error BookingAlreadyEnded(uint256 bookingId);
    error BookingNotExpired(uint256 bookingId, uint64 endTime);
    error BookingExpired(uint256 bookingId, uint64 endTime);
    error InvalidEndReason(uint8 reason);

    constructor(address token_, address staking_, address treasury_, address initialOwner) Ownable(initialOwner) {
        if (token_ == address(0) || staking_ == address(0) || treasury_ == address(0)) revert ZeroAddress();
        token = IERC20(token_);
        staking = IScalerNodeRegistry(staking_);
        treasury = treasury_;
    }

    /// @notice Books `capacity` units of a validated node for [startTime, endTime) and pays `price`.
    /// @dev The capacity is reserved from now until endTime, also for a booking that starts
    ///      later: free capacity is checked against every active booking, whatever its start.
    function book(uint256 nodeId, uint256 capacity, uint64 startTime, uint64 endTime, uint256 price)
        external
        returns (uint256 bookingId)
    {
        uint8 status = staking.nodeStatus(nodeId);
        if (status != NODE_VALIDATED) revert NodeNotValidated(nodeId, status);
        if (capacity == 0) revert ZeroCapacity();
        if (startTime >= endTime) revert InvalidTimeRange(startTime, endTime);
        if (endTime <= block.timestamp) revert EndInPast(endTime);

        uint256 total = staking.nodeTotalCapacity(nodeId);
        uint256 booked = bookedCapacity(nodeId);
        // booked <= total by invariant; the guard only keeps a broken registry from
        // turning into an underflow panic instead of a readable error.
        uint256 free = total > booked ? total - booked : 0;
        if (capacity > free) revert InsufficientCapacity(nodeId, capacity, free);

        bookingId = ++_bookingCount;
        uint256[] storage active = _active[nodeId];
        Booking storage b = _bookings[bookingId];
        b.nodeId = nodeId;
        b.serviceProvider = msg.sender;
        b.startTime = startTime;
        b.endTime = endTime;
        b.activeSlot = uint64(active.length);
        b.capacity = capacity;
        b.price = price;
        active.push(bookingId);

        emit CapacityBooked(bookingId, nodeId, msg.sender, capacity, price, startTime, endTime);
        _pay(nodeId, price);
    }

    /// @notice Moves an active booking's end later, paying `additionalPrice` (same split).
    /// @dev No capacity check: an active booking already holds its capacity.
    function extend(uint256 bookingId, uint64 newEndTime, uint256 additionalPrice) external {
        Booking storage b = _booking(bookingId);
        if (msg.sender != b.serviceProvider) revert NotServiceProvider(bookingId, msg.sender);
        if (b.ended || b.endTime <= block.timestamp) revert BookingNotActive(bookingId);
        if (newEndTime <= b.endTime) revert EndNotExtended(b.endTime, newEndTime);
        b.endTime = newEndTime;
        b.price += additionalPrice;
        emit BookingExtended(bookingId, newEndTime, additionalPrice);
        _pay(b.nodeId, additionalPrice);
    }

    /// @notice Ends a booking. 0 expired: anyone, once endTime has passed. 1 cancelled:
    ///         the service provider, before endTime (no refund). 2 provider fault: the owner.
    function endBooking(uint256 bookingId, uint8 reason) external {
        Booking storage b = _booking(bookingId);
        if (b.ended) revert BookingAlreadyEnded(bookingId);
        if (reason == END_EXPIRED) {
            if (b.endTime > block.timestamp) revert BookingNotExpired(bookingId, b.endTime);
        } else if (reason == END_CANCELLED) {
            if (msg.sender != b.serviceProvider) revert NotServiceProvider(bookingId, msg.sender);
            if (b.endTime <= block.timestamp) revert BookingExpired(bookingId, b.endTime);
        } else if (reason == END_PROVIDER_FAULT) {
            _checkOwner();
        } else {
            revert InvalidEndReason(reason);
        }

        b.ended = true;
        b.endReason = reason;
        uint256 nodeId = b.nodeId;
        _removeActive(nodeId, b.activeSlot);
        emit BookingEnded(bookingId, nodeId, reason);
    }

    // ------------------------------------------------------------------ views

    /// @notice Sum of the capacity of the node's active bookings (not ended, endTime in the future).
    /// @dev Linear in the node's non-ended bookings; expired ones are skipped until someone
    ///      ends them with reason 0, which also shortens this loop.
    function bookedCapacity(uint256 nodeId) public view returns (uint256 booked) {
        uint256[] storage active = _active[nodeId];
        uint256 count = active.length;
        for (uint256 i = 0; i < count; ++i) {
            Booking storage b = _bookings[active[i]];
            if (b.endTime > block.timestamp) booked += b.capacity;
        }
    }

    function bookingCount() external view returns (uint256) {
        return _bookingCount;
    }

    function getBooking(uint256 bookingId)
        external
        view
        returns (
            uint256 nodeId,
            address serviceProvider,
            uint256 capacity,
            uint256 price,
            uint64 startTime,
            uint64 endTime,
            bool ended,
            uint8 endReason
        )
    {
        Booking storage b = _booking(bookingId);
        return (b.nodeId, b.serviceProvider, b.capacity, b.price, b.startTime, b.endTime, b.ended, b.endReason);
    }

    // ------------------------------------------------------------------ internals

    function _booking(uint256 bookingId) private view returns (Booking storage b) {
        if (bookingId == 0 || bookingId > _bookingCount) revert UnknownBooking(bookingId);
        return _bookings[bookingId];
    }

    /// @dev Two transfers from the payer, hardware provider first, treasury second: the
    ///      order the indexer (and the spec) expect. Both happen even for a zero amount,
    ///      so every payment is exactly two Transfer logs.
    function _pay(uint256 nodeId, uint256 price) private {
        uint256 hpShare = (price * HP_SHARE_PERCENT) / 100;
        token.safeTransferFrom(msg.sender, staking.hardwareProviderOf(nodeId), hpShare);
        token.safeTransferFrom(msg.sender, treasury, price - hpShare);
    }

    /// @dev Swap-and-pop; order of a node's active list is irrelevant.
    function _removeActive(uint256 nodeId, uint64 slot) private {
        uint256[] storage active = _active[nodeId];
        uint256 last = active.length - 1;
        if (slot != last) {
            uint256 moved = active[last];
            active[slot] = moved;
            _bookings[moved].activeSlot = slot;
        }
        active.pop();
    }
}

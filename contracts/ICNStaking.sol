// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @dev The one thing staking needs from the market: how much of a node is booked,
///      so a hardware provider cannot shrink a node below what it has sold.
interface ICapacityMarketBookings {
    function bookedCapacity(uint256 nodeId) external view returns (uint256);
}

/// @title ICNStaking: scaler-node registry, collateral, delegation and rewards (devnet reference)
/// @notice Hardware providers register nodes with ICNT collateral; delegators lock ICNT
///         on nodes; the owner (standing in for the protocol) validates nodes and slashes.
///         Rewards are paid straight from the rewards distributor's wallet to the claimant.
/// @dev Invariants:
///        token.balanceOf(this) == Σ_nodes collateral + Σ_positions amount
///          (a position's amount is what is still to be withdrawn; rewards never sit here);
///        for every node: delegatedTotal == Σ amount over the positions still on the node
///          (not reclaimed), and those positions are exactly `_nodes[id].active`;
///        lockedDelegationIndex, nodeDelegationIndex, pendingRewardsClaimIndex and
///          claimIndex count 0, 1, 2, … and are never reused.
///      The delegation events are ICN's real signatures (all three versions), the rest
///      are the project's own; see icn-protocol.md §3.
contract ICNStaking is Ownable {
    using SafeERC20 for IERC20;

    uint256 public constant ONE_MONTH = 30 days;
    /// @notice One era; SLA reports and slashes are per era.
    uint256 public constant ERA = 1 hours;
    /// @notice A hardware provider commits its node for at least this long.
    uint256 public constant MIN_COMMITMENT = 36 * ONE_MONTH;
    uint256 public constant MIN_LOCK = 1 days;
    uint256 public constant MAX_LOCK = 48 * ONE_MONTH;
    /// @notice An undelegated position stays on the node (slashable) this long.
    uint256 public constant RECLAIM_DELAY = 2 * ERA;

    uint8 public constant STATUS_REGISTERED = 1;
    uint8 public constant STATUS_VALIDATED = 2;
    uint8 public constant STATUS_REJECTED = 3;
    uint8 public constant STATUS_REMOVED = 4;

    /// @dev A pointer from a node to one of its positions; one slot.
    struct PositionRef {
        address delegator;
        uint96 lockedDelegationIndex;
    }

    struct Node {
        address hardwareProvider;
        uint64 commitmentEnd;
        uint8 status; // 0 only for ids never registered
        uint256 totalCapacity;
        uint256 collateral;
        uint256 delegatedTotal;
        uint256 delegationsCreated; // next nodeDelegationIndex
        string regionId;
        string hwClass;
        PositionRef[] active; // positions not yet reclaimed, unordered
    }

    struct Position {
        uint256 nodeId;
        uint256 nodeDelegationIndex;
        uint256 amount; // still to be withdrawn (after slashes and withdrawals)
        uint256 apyScalingFactor;
        uint64 unlockTimestamp;
        uint64 undelegatedAt;
        uint64 activeSlot; // index in _nodes[nodeId].active while not reclaimed
        bool undelegated;
        bool reclaimed;
    }

    struct PendingRewardsClaim {
        uint256 amount;
        uint64 unlockTimestamp;
        bool claimed;
    }

    IERC20 public immutable token;
    /// @notice Receives slashed collateral.
    address public immutable treasury;
    /// @notice Wallet that pays rewards; it approves this contract.
    address public immutable rewardsDistributor;

    /// @notice Optional; when set, a node's capacity cannot drop below what is booked.
    ICapacityMarketBookings public capacityMarket;

    /// @notice Which "delegated" event delegate() emits: 1 CollateralDelegated (V1),
    ///         2 CollateralDelegatedV2, 3 DelegationCreated. Simulates ICN's upgrade.
    uint8 public delegationEventVersion = 1;

    /// @notice Rewards credited by the protocol and not yet claimed or put in a pending claim.
    mapping(address account => uint256) public accruedRewards;

    uint256 private _nodeCount; // node ids are 1.._nodeCount
    mapping(uint256 nodeId => Node) private _nodes;
    mapping(address delegator => Position[]) private _positions;
    mapping(address delegator => PendingRewardsClaim[]) private _pendingClaims;
    mapping(address hp => uint256) private _hpClaimCount;

    // ------------------------------------------------------------------ events

    event ScalerNodeRegistered(
        uint256 indexed nodeId,
        address indexed hardwareProvider,
        string regionId,
        string hwClass,
        uint256 totalCapacity,
        uint256 collateral,
        uint64 commitmentEnd
    );
    event ScalerNodeStatusChanged(uint256 indexed nodeId, uint8 status);
    event ScalerNodeCapacityChanged(uint256 indexed nodeId, uint256 totalCapacity);
    event CollateralSlashed(
        uint256 indexed nodeId, uint256 indexed era, uint256 providerAmount, uint256 delegatorAmount, bytes32 reason
    );

    event CollateralDelegated(
        uint256 indexed nodeId,
        address indexed delegator,
        uint256 indexed amount,
        uint256 apyScalingFactor,
        uint256 unlockTimestamp
    );
    event CollateralDelegatedV2(
        uint256 indexed nodeId,
        uint256 indexed lockedDelegationIndex,
        address indexed delegator,
        uint256 apyScalingFactor,
        uint256 unlockTimestamp,
        uint256 amount
    );
    event DelegationCreated(
        uint256 indexed nodeId,
        address indexed delegator,
        uint256 indexed lockedDelegationIndex,
        uint256 apyScalingFactor,
        uint256 unlockTimestamp,
        uint256 amount
    );
    event CollateralUndelegated(
        address indexed delegator, uint256 indexed lockedDelegationIndex, uint256 indexed nodeDelegationIndex
    );
    event CollateralReclaimed(
        address indexed delegator, uint256 indexed lockedDelegationIndex, uint256 indexed nodeDelegationIndex
    );
    event UnlockedTokensWithdrawn(
        address indexed delegator, uint256 indexed lockedDelegationIndex, uint256 indexed amount
    );
    event PendingRewardsClaimInitialized(address indexed delegator, uint256 indexed amount, uint256 unlockTimestamp);
    event HPDelegationICNTRewardsClaimedV2(
        address indexed delegator, uint256 indexed pendingRewardsClaimIndex, uint256 amount
    );
    event HpRewardClaimed(address indexed hp, uint256 indexed amount, uint256 indexed claimIndex);

    // ------------------------------------------------------------------ errors

    error ZeroAddress();
    error ZeroAmount();
    error ZeroCapacity();
    error LengthMismatch(uint256 accounts, uint256 amounts);
    error InvalidEventVersion(uint8 version);
    error UnknownNode(uint256 nodeId);
    error InvalidStatus(uint8 status);
    error StatusUnchanged(uint256 nodeId, uint8 status);
    error NotHardwareProvider(uint256 nodeId, address caller);
    error CommitmentTooShort(uint64 commitmentEnd, uint256 minimum);
    error CapacityBelowBooked(uint256 nodeId, uint256 requested, uint256 booked);
    error NodeNotDelegatable(uint256 nodeId, uint8 status);
    error UnlockOutOfRange(uint64 unlockTimestamp, uint256 earliest, uint256 latest);
    error UnknownDelegation(address delegator, uint256 lockedDelegationIndex);
    error AlreadyUndelegated(uint256 lockedDelegationIndex);
    error NotUndelegated(uint256 lockedDelegationIndex);
    error AlreadyReclaimed(uint256 lockedDelegationIndex);
    error NotReclaimed(uint256 lockedDelegationIndex);
    error TooEarly(uint256 notBefore);
    error AmountExceedsPosition(uint256 amount, uint256 remaining);
    error NothingToSlash();
    error SlashExceedsCollateral(uint256 providerAmount, uint256 collateral);
    error SlashExceedsDelegated(uint256 delegatorAmount, uint256 delegatedTotal);
    error InexactSlash(uint256 delegatorAmount, uint256 sumOfLosses);
    error InsufficientRewards(uint256 requested, uint256 available);
    error UnlockInPast(uint64 unlockTimestamp);
    error UnknownRewardsClaim(address delegator, uint256 pendingRewardsClaimIndex);
    error AlreadyClaimed(uint256 pendingRewardsClaimIndex);

    constructor(address token_, address treasury_, address rewardsDistributor_, address initialOwner)
        Ownable(initialOwner)
    {
        if (token_ == address(0) || treasury_ == address(0) || rewardsDistributor_ == address(0)) {
            revert ZeroAddress();
        }
        token = IERC20(token_);
        treasury = treasury_;
        rewardsDistributor = rewardsDistributor_;
    }

    // ------------------------------------------------------------------ admin

    function setDelegationEventVersion(uint8 v) external onlyOwner {
        if (v < 1 || v > 3) revert InvalidEventVersion(v);
        delegationEventVersion = v;
    }

    /// @dev address(0) unsets it (capacity changes are then unchecked).
    function setCapacityMarket(address market) external onlyOwner {
        capacityMarket = ICapacityMarketBookings(market);
    }

    // ------------------------------------------------------------------ nodes

    /// @notice Registers a scaler node owned by the caller, locking `collateral` ICNT.
    /// @dev The collateral never comes back through this interface: a node's collateral
    ///      is what it registered minus its slashes (the indexer relies on that).
    function registerNode(
        string calldata regionId,
        string calldata hwClass,
        uint256 totalCapacity,
        uint256 collateral,
        uint64 commitmentEnd
    ) external returns (uint256 nodeId) {
        uint256 minimum = block.timestamp + MIN_COMMITMENT;
        if (commitmentEnd < minimum) revert CommitmentTooShort(commitmentEnd, minimum);
        if (collateral == 0) revert ZeroAmount();
        if (totalCapacity == 0) revert ZeroCapacity();

        nodeId = ++_nodeCount;
        Node storage n = _nodes[nodeId];
        n.hardwareProvider = msg.sender;
        n.commitmentEnd = commitmentEnd;
        n.status = STATUS_REGISTERED;
        n.totalCapacity = totalCapacity;
        n.collateral = collateral;
        n.regionId = regionId;
        n.hwClass = hwClass;

        emit ScalerNodeRegistered(nodeId, msg.sender, regionId, hwClass, totalCapacity, collateral, commitmentEnd);
        token.safeTransferFrom(msg.sender, address(this), collateral);
    }

    /// @notice Validates (2), rejects (3) or removes (4) a node. Status 1 is only ever
    ///         set by registration, which has no status event of its own.
    function setNodeStatus(uint256 nodeId, uint8 status) external onlyOwner {
        Node storage n = _node(nodeId);
        if (status < STATUS_VALIDATED || status > STATUS_REMOVED) revert InvalidStatus(status);
        if (n.status == status) revert StatusUnchanged(nodeId, status);
        n.status = status;
        emit ScalerNodeStatusChanged(nodeId, status);
    }

    function setNodeCapacity(uint256 nodeId, uint256 totalCapacity) external {
        Node storage n = _node(nodeId);
        if (msg.sender != n.hardwareProvider) revert NotHardwareProvider(nodeId, msg.sender);
        if (totalCapacity == 0) revert ZeroCapacity();
        ICapacityMarketBookings market = capacityMarket;
        if (address(market) != address(0)) {
            // Keeps the market's invariant booked <= total without the market having to
            // handle a node that shrank under its bookings.
            uint256 booked = market.bookedCapacity(nodeId);
            if (totalCapacity < booked) revert CapacityBelowBooked(nodeId, totalCapacity, booked);
        }
        n.totalCapacity = totalCapacity;
        emit ScalerNodeCapacityChanged(nodeId, totalCapacity);
    }

    // ------------------------------------------------------------------ delegation

    /// @notice Locks `amount` ICNT on a registered or validated node until `unlockTimestamp`.
    /// @return lockedDelegationIndex the caller's new position (0, 1, 2, … per delegator).
    function delegate(uint256 nodeId, uint256 amount, uint256 apyScalingFactor, uint64 unlockTimestamp)
        external
        returns (uint256 lockedDelegationIndex)
    {
        Node storage n = _node(nodeId);
        if (n.status != STATUS_REGISTERED && n.status != STATUS_VALIDATED) {
            revert NodeNotDelegatable(nodeId, n.status);
        }
        if (amount == 0) revert ZeroAmount();
        uint256 earliest = block.timestamp + MIN_LOCK;
        uint256 latest = block.timestamp + MAX_LOCK;
        if (unlockTimestamp < earliest || unlockTimestamp > latest) {
            revert UnlockOutOfRange(unlockTimestamp, earliest, latest);
        }

        Position[] storage positions = _positions[msg.sender];
        lockedDelegationIndex = positions.length;
        uint256 nodeDelegationIndex = n.delegationsCreated++;

        Position storage p = positions.push();
        p.nodeId = nodeId;
        p.nodeDelegationIndex = nodeDelegationIndex;
        p.amount = amount;
        p.apyScalingFactor = apyScalingFactor;
        p.unlockTimestamp = unlockTimestamp;
        p.activeSlot = uint64(n.active.length);
        // A delegator's position count cannot realistically reach 2^96.
        n.active.push(PositionRef(msg.sender, uint96(lockedDelegationIndex)));
        n.delegatedTotal += amount;

        _emitDelegated(nodeId, lockedDelegationIndex, amount, apyScalingFactor, unlockTimestamp);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Exactly one of the three forms per position (split out of delegate() to
    ///      keep its stack shallow without viaIR).
    function _emitDelegated(
        uint256 nodeId,
        uint256 lockedDelegationIndex,
        uint256 amount,
        uint256 apyScalingFactor,
        uint64 unlockTimestamp
    ) private {
        uint8 version = delegationEventVersion;
        if (version == 1) {
            emit CollateralDelegated(nodeId, msg.sender, amount, apyScalingFactor, unlockTimestamp);
        } else if (version == 2) {
            emit CollateralDelegatedV2(
                nodeId, lockedDelegationIndex, msg.sender, apyScalingFactor, unlockTimestamp, amount
            );
        } else {
            emit DelegationCreated(nodeId, msg.sender, lockedDelegationIndex, apyScalingFactor, unlockTimestamp, amount);
        }
    }

    /// @notice Stops the caller's position from earning. It stays on the node, and
    ///         slashable, until reclaimed at least RECLAIM_DELAY later.
    function undelegate(uint256 lockedDelegationIndex) external {
        Position storage p = _position(msg.sender, lockedDelegationIndex);
        if (p.undelegated) revert AlreadyUndelegated(lockedDelegationIndex);
        p.undelegated = true;
        p.undelegatedAt = uint64(block.timestamp);
        emit CollateralUndelegated(msg.sender, lockedDelegationIndex, p.nodeDelegationIndex);
    }

    /// @notice Takes an undelegated position off its node. No tokens move: they stay
    ///         locked here until unlockTimestamp, then leave through withdraw().
    function reclaim(uint256 lockedDelegationIndex) external {
        Position storage p = _position(msg.sender, lockedDelegationIndex);
        if (!p.undelegated) revert NotUndelegated(lockedDelegationIndex);
        if (p.reclaimed) revert AlreadyReclaimed(lockedDelegationIndex);
        uint256 notBefore = uint256(p.undelegatedAt) + RECLAIM_DELAY;
        if (block.timestamp < notBefore) revert TooEarly(notBefore);

        Node storage n = _nodes[p.nodeId];
        n.delegatedTotal -= p.amount;
        _removeActive(n, p.activeSlot);
        p.reclaimed = true;
        emit CollateralReclaimed(msg.sender, lockedDelegationIndex, p.nodeDelegationIndex);
    }

    /// @notice Withdraws part or all of a reclaimed, unlocked position to the caller.
    function withdraw(uint256 lockedDelegationIndex, uint256 amount) external {
        Position storage p = _position(msg.sender, lockedDelegationIndex);
        if (!p.reclaimed) revert NotReclaimed(lockedDelegationIndex);
        if (block.timestamp < p.unlockTimestamp) revert TooEarly(p.unlockTimestamp);
        if (amount == 0) revert ZeroAmount();
        uint256 remaining = p.amount;
        if (amount > remaining) revert AmountExceedsPosition(amount, remaining);
        p.amount = remaining - amount;
        emit UnlockedTokensWithdrawn(msg.sender, lockedDelegationIndex, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ------------------------------------------------------------------ slashing

    /// @notice Slashes a node for `era`: `providerAmount` from the hardware provider's
    ///         collateral and up to `delegatorAmount` pro rata from its positions.
    /// @dev Every position still on the node (undelegated or not, but not reclaimed)
    ///      loses floor(amount · delegatorAmount / D), D being the node's delegated total
    ///      before this slash. The event carries the sum of those floors (<= delegatorAmount),
    ///      which is exactly what leaves the node's delegated total, so the invariant
    ///      delegatedTotal == Σ active amounts holds and the indexer can recompute each
    ///      position to the wei. Gas is linear in the node's active positions.
    function slash(uint256 nodeId, uint256 era, uint256 providerAmount, uint256 delegatorAmount, bytes32 reason)
        external
        onlyOwner
    {
        Node storage n = _node(nodeId);
        if (providerAmount == 0 && delegatorAmount == 0) revert NothingToSlash();
        uint256 collateral = n.collateral;
        if (providerAmount > collateral) revert SlashExceedsCollateral(providerAmount, collateral);
        n.collateral = collateral - providerAmount;

        uint256 delegatedTotal = n.delegatedTotal;
        uint256 lost = 0;
        if (delegatedTotal != 0 && delegatorAmount != 0) {
            if (delegatorAmount > delegatedTotal) revert SlashExceedsDelegated(delegatorAmount, delegatedTotal);
            PositionRef[] storage active = n.active;
            uint256 count = active.length;
            for (uint256 i = 0; i < count; ++i) {
                PositionRef storage ref = active[i];
                Position storage p = _positions[ref.delegator][ref.lockedDelegationIndex];
                uint256 amount = p.amount;
                uint256 loss = (amount * delegatorAmount) / delegatedTotal;
                p.amount = amount - loss;
                lost += loss;
            }
            // The spec lets an indexer recompute every position from the event alone:
            // each loses floor(amount * delegatorAmount / delegatedTotal) and the event's
            // delegatorAmount is the sum of those losses. Both hold only when no loss is
            // rounded, so a slash that would round is refused rather than emitted inexact.
            if (lost != delegatorAmount) revert InexactSlash(delegatorAmount, lost);
            n.delegatedTotal = delegatedTotal - lost;
        }

        emit CollateralSlashed(nodeId, era, providerAmount, lost, reason);
        token.safeTransfer(treasury, providerAmount + lost);
    }

    // ------------------------------------------------------------------ rewards

    /// @notice Bookkeeping only: records rewards the protocol owes. No event, no tokens;
    ///         the tokens move from the rewards distributor when they are claimed.
    function creditRewards(address[] calldata accounts, uint256[] calldata amounts) external onlyOwner {
        uint256 count = accounts.length;
        if (count != amounts.length) revert LengthMismatch(count, amounts.length);
        for (uint256 i = 0; i < count; ++i) {
            accruedRewards[accounts[i]] += amounts[i];
        }
    }

    /// @notice Moves `amount` of the caller's accrued rewards into a pending claim that
    ///         can be paid out from `unlockTimestamp`. Moves no tokens.
    function initRewardsClaim(uint256 amount, uint64 unlockTimestamp)
        external
        returns (uint256 pendingRewardsClaimIndex)
    {
        if (amount == 0) revert ZeroAmount();
        _debitRewards(amount);
        if (unlockTimestamp < block.timestamp) revert UnlockInPast(unlockTimestamp);
        PendingRewardsClaim[] storage claims = _pendingClaims[msg.sender];
        pendingRewardsClaimIndex = claims.length;
        claims.push(PendingRewardsClaim(amount, unlockTimestamp, false));
        emit PendingRewardsClaimInitialized(msg.sender, amount, unlockTimestamp);
    }

    /// @notice Pays a pending claim from the rewards distributor to the caller.
    function claimDelegatorRewards(uint256 pendingRewardsClaimIndex) external {
        PendingRewardsClaim[] storage claims = _pendingClaims[msg.sender];
        if (pendingRewardsClaimIndex >= claims.length) {
            revert UnknownRewardsClaim(msg.sender, pendingRewardsClaimIndex);
        }
        PendingRewardsClaim storage c = claims[pendingRewardsClaimIndex];
        if (block.timestamp < c.unlockTimestamp) revert TooEarly(c.unlockTimestamp);
        if (c.claimed) revert AlreadyClaimed(pendingRewardsClaimIndex);
        c.claimed = true;
        uint256 amount = c.amount;
        emit HPDelegationICNTRewardsClaimedV2(msg.sender, pendingRewardsClaimIndex, amount);
        token.safeTransferFrom(rewardsDistributor, msg.sender, amount);
    }

    /// @notice A hardware provider claims `amount` of its accrued rewards, paid at once
    ///         from the rewards distributor.
    /// @return claimIndex the caller's claim number (0, 1, 2, …).
    function claimHpReward(uint256 amount) external returns (uint256 claimIndex) {
        if (amount == 0) revert ZeroAmount();
        _debitRewards(amount);
        claimIndex = _hpClaimCount[msg.sender]++;
        emit HpRewardClaimed(msg.sender, amount, claimIndex);
        token.safeTransferFrom(rewardsDistributor, msg.sender, amount);
    }

    // ------------------------------------------------------------------ views

    function nodeCount() external view returns (uint256) {
        return _nodeCount;
    }

    function getNode(uint256 nodeId)
        external
        view
        returns (
            address hardwareProvider,
            string memory regionId,
            string memory hwClass,
            uint256 totalCapacity,
            uint256 collateral,
            uint64 commitmentEnd,
            uint8 status,
            uint256 delegatedTotal,
            uint256 delegatorPositions
        )
    {
        Node storage n = _node(nodeId);
        return (
            n.hardwareProvider,
            n.regionId,
            n.hwClass,
            n.totalCapacity,
            n.collateral,
            n.commitmentEnd,
            n.status,
            n.delegatedTotal,
            n.active.length
        );
    }

    /// @dev The three per-node views below return zero values for an id never registered
    ///      (status 0), so other contracts can use them as cheap existence checks.
    function hardwareProviderOf(uint256 nodeId) external view returns (address) {
        return _nodes[nodeId].hardwareProvider;
    }

    function nodeStatus(uint256 nodeId) external view returns (uint8) {
        return _nodes[nodeId].status;
    }

    function nodeTotalCapacity(uint256 nodeId) external view returns (uint256) {
        return _nodes[nodeId].totalCapacity;
    }

    function delegationCount(address delegator) external view returns (uint256) {
        return _positions[delegator].length;
    }

    function getDelegation(address delegator, uint256 lockedDelegationIndex)
        external
        view
        returns (
            uint256 nodeId,
            uint256 nodeDelegationIndex,
            uint256 amount,
            uint256 apyScalingFactor,
            uint64 unlockTimestamp,
            uint64 undelegatedAt,
            bool undelegated,
            bool reclaimed
        )
    {
        Position storage p = _position(delegator, lockedDelegationIndex);
        return (
            p.nodeId,
            p.nodeDelegationIndex,
            p.amount,
            p.apyScalingFactor,
            p.unlockTimestamp,
            p.undelegatedAt,
            p.undelegated,
            p.reclaimed
        );
    }

    function pendingRewardsClaimCount(address delegator) external view returns (uint256) {
        return _pendingClaims[delegator].length;
    }

    function getPendingRewardsClaim(address delegator, uint256 pendingRewardsClaimIndex)
        external
        view
        returns (uint256 amount, uint64 unlockTimestamp, bool claimed)
    {
        PendingRewardsClaim[] storage claims = _pendingClaims[delegator];
        if (pendingRewardsClaimIndex >= claims.length) {
            revert UnknownRewardsClaim(delegator, pendingRewardsClaimIndex);
        }
        PendingRewardsClaim storage c = claims[pendingRewardsClaimIndex];
        return (c.amount, c.unlockTimestamp, c.claimed);
    }

    function hpRewardClaimCount(address hp) external view returns (uint256) {
        return _hpClaimCount[hp];
    }

    // ------------------------------------------------------------------ internals

    function _node(uint256 nodeId) private view returns (Node storage n) {
        n = _nodes[nodeId];
        if (n.status == 0) revert UnknownNode(nodeId);
    }

    function _position(address delegator, uint256 lockedDelegationIndex) private view returns (Position storage) {
        Position[] storage positions = _positions[delegator];
        if (lockedDelegationIndex >= positions.length) revert UnknownDelegation(delegator, lockedDelegationIndex);
        return positions[lockedDelegationIndex];
    }

    /// @dev Swap-and-pop: order of `active` is irrelevant, removal is O(1).
    function _removeActive(Node storage n, uint64 slot) private {
        PositionRef[] storage active = n.active;
        uint256 last = active.length - 1;
        if (slot != last) {
            PositionRef memory moved = active[last];
            active[slot] = moved;
            _positions[moved.delegator][moved.lockedDelegationIndex].activeSlot = slot;
        }
        active.pop();
    }

    function _debitRewards(uint256 amount) private {
        uint256 available = accruedRewards[msg.sender];
        if (amount > available) revert InsufficientRewards(amount, available);
        accruedRewards[msg.sender] = available - amount;
    }
}

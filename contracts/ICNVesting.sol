// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ICNVesting: allocation schedules for the ICNT supply (devnet reference)
/// @notice Holds every allocation's unreleased ICNT. Each grant is one schedule,
///         either linear (immediate part, cliff, linear vesting from `start`) or a
///         monthly curve (immediate part, then one tranche per month).
/// @dev Invariants, for every schedule s:
///        released(s) <= vested(s, now) <= total(s), and vested is non-decreasing in time;
///        token.balanceOf(this) == Σ_s (total(s) - released(s) - unvestedReturned(s)),
///        where unvestedReturned(s) is what revoke() sent back (0 if never revoked).
///      The vesting maths here is the one the indexer reimplements from the events
///      (see icn-protocol.md §2), so it is written to match that text literally.
contract ICNVesting is Ownable {
    using SafeERC20 for IERC20;

    /// @notice ICN's month: tranche k of a curve vests at start + k·ONE_MONTH.
    uint256 public constant ONE_MONTH = 30 days;

    /// @dev Packed so the fields read on every release share slots.
    struct Schedule {
        address beneficiary; // slot 0
        uint64 start; //        slot 0
        bool revoked; //        slot 0
        bool isCurve; //        slot 0
        uint64 cliff; //        slot 1
        uint64 duration; //     slot 1
        uint64 revokedAt; //    slot 1
        bytes32 category;
        uint256 total;
        uint256 immediate;
        uint256 released;
    }

    /// @notice The vested token.
    IERC20 public immutable token;

    Schedule[] private _schedules;

    /// @dev Curve schedules store cumulative tranche sums: _curveCumulative[id][k-1] is
    ///      the sum of tranches 1..k. This makes vestedAmount O(1) (one SLOAD) while
    ///      getCurve can still return the monthly amounts as differences.
    mapping(uint256 scheduleId => uint256[] cumulative) private _curveCumulative;

    event VestingScheduleCreated(
        uint256 indexed scheduleId,
        address indexed beneficiary,
        bytes32 indexed category,
        uint256 total,
        uint256 immediate,
        uint64 start,
        uint64 cliff,
        uint64 duration
    );
    event VestingCurveSet(uint256 indexed scheduleId, uint256[] monthlyAmounts);
    event TokensReleased(uint256 indexed scheduleId, address indexed beneficiary, uint256 amount);
    event VestingScheduleRevoked(uint256 indexed scheduleId, uint256 unvestedReturned);

    error ZeroAddress();
    error ZeroAmount();
    error ImmediateExceedsTotal(uint256 immediate, uint256 total);
    error CliffBeforeStart(uint64 start, uint64 cliff);
    error EmptyCurve();
    error CurveTooLong(uint256 months);
    error CurveSumMismatch(uint256 expected, uint256 actual);
    error UnknownSchedule(uint256 scheduleId);
    error NothingToRelease(uint256 scheduleId);
    error AlreadyRevoked(uint256 scheduleId);

    constructor(address token_, address initialOwner) Ownable(initialOwner) {
        if (token_ == address(0)) revert ZeroAddress();
        token = IERC20(token_);
    }

    // ------------------------------------------------------------------ grants

    /// @notice Creates a linear schedule funded with `total` ICNT from the caller.
    /// @dev `duration == 0` makes a cliff grant: `immediate` until `cliff`, then `total`.
    ///      A 100%-at-TGE allocation is `immediate = total, duration = 0`.
    function createSchedule(
        address beneficiary,
        bytes32 category,
        uint256 total,
        uint256 immediate,
        uint64 start,
        uint64 cliff,
        uint64 duration
    ) external onlyOwner returns (uint256 scheduleId) {
        _checkGrant(beneficiary, total, immediate);
        if (cliff < start) revert CliffBeforeStart(start, cliff);

        scheduleId = _push(beneficiary, category, total, immediate, start, cliff, duration, false);
        emit VestingScheduleCreated(scheduleId, beneficiary, category, total, immediate, start, cliff, duration);
        token.safeTransferFrom(msg.sender, address(this), total);
    }

    /// @notice Creates a curve schedule: `immediate` at once, then `monthlyAmounts[k-1]`
    ///         at `start + k·ONE_MONTH` for k = 1..n.
    /// @dev Stored with cliff = start and duration = n·ONE_MONTH so that the schedule's
    ///      created event alone already bounds when it is fully vested; the curve event,
    ///      emitted right after in the same transaction, gives the exact tranches.
    function createCurveSchedule(
        address beneficiary,
        bytes32 category,
        uint256 total,
        uint256 immediate,
        uint64 start,
        uint256[] calldata monthlyAmounts
    ) external onlyOwner returns (uint256 scheduleId) {
        _checkGrant(beneficiary, total, immediate);
        uint256 n = monthlyAmounts.length;
        if (n == 0) revert EmptyCurve();

        // n·ONE_MONTH must fit the uint64 duration; checked arithmetic would not catch
        // the narrowing, so bound n explicitly (any real curve is far below this).
        uint64 duration = uint64(n * ONE_MONTH);
        if (uint256(duration) != n * ONE_MONTH) revert CurveTooLong(n);

        scheduleId = _push(beneficiary, category, total, immediate, start, start, duration, true);

        uint256[] storage cumulative = _curveCumulative[scheduleId];
        uint256 sum = 0;
        for (uint256 i = 0; i < n; ++i) {
            sum += monthlyAmounts[i];
            cumulative.push(sum);
        }
        if (sum != total - immediate) revert CurveSumMismatch(total - immediate, sum);

        emit VestingScheduleCreated(scheduleId, beneficiary, category, total, immediate, start, start, duration);
        emit VestingCurveSet(scheduleId, monthlyAmounts);
        token.safeTransferFrom(msg.sender, address(this), total);
    }

    // ------------------------------------------------------------------ release / revoke

    /// @notice Sends everything vested and not yet released to the beneficiary.
    ///         Anyone may call; the tokens always go to the beneficiary.
    function release(uint256 scheduleId) external {
        uint256 amount = releasable(scheduleId); // reverts on an unknown id
        if (amount == 0) revert NothingToRelease(scheduleId);
        Schedule storage s = _schedules[scheduleId];
        // Effects before the transfer (checks-effects-interactions).
        s.released += amount;
        address beneficiary = s.beneficiary;
        emit TokensReleased(scheduleId, beneficiary, amount);
        token.safeTransfer(beneficiary, amount);
    }

    /// @notice Stops a schedule: what has not vested by now goes back to the owner,
    ///         what has vested stays releasable by the beneficiary.
    /// @dev After this, vestedAmount(id, t) == vestedAmount(id, revokedAt) for t >= revokedAt,
    ///      so releasable() can never exceed what the contract still holds for it.
    function revoke(uint256 scheduleId) external onlyOwner {
        Schedule storage s = _get(scheduleId);
        if (s.revoked) revert AlreadyRevoked(scheduleId);
        uint256 unvested = s.total - _vestedAt(scheduleId, s, uint64(block.timestamp));
        s.revoked = true;
        s.revokedAt = uint64(block.timestamp);
        emit VestingScheduleRevoked(scheduleId, unvested);
        // Transferred even when zero, so every revocation is paired with its Transfer.
        token.safeTransfer(owner(), unvested);
    }

    // ------------------------------------------------------------------ views

    /// @notice What schedule `scheduleId` has vested at `timestamp` (frozen at the
    ///         revocation time for a revoked schedule).
    function vestedAmount(uint256 scheduleId, uint64 timestamp) public view returns (uint256) {
        Schedule storage s = _get(scheduleId);
        if (s.revoked && timestamp > s.revokedAt) timestamp = s.revokedAt;
        return _vestedAt(scheduleId, s, timestamp);
    }

    /// @notice Vested now minus already released.
    function releasable(uint256 scheduleId) public view returns (uint256) {
        return vestedAmount(scheduleId, uint64(block.timestamp)) - _schedules[scheduleId].released;
    }

    function scheduleCount() external view returns (uint256) {
        return _schedules.length;
    }

    function getSchedule(uint256 scheduleId)
        external
        view
        returns (
            address beneficiary,
            bytes32 category,
            uint256 total,
            uint256 immediate,
            uint64 start,
            uint64 cliff,
            uint64 duration,
            uint256 released,
            bool revoked,
            uint64 revokedAt,
            bool isCurve
        )
    {
        Schedule storage s = _get(scheduleId);
        return (
            s.beneficiary,
            s.category,
            s.total,
            s.immediate,
            s.start,
            s.cliff,
            s.duration,
            s.released,
            s.revoked,
            s.revokedAt,
            s.isCurve
        );
    }

    /// @notice The monthly tranches of a curve schedule (empty for a linear one).
    function getCurve(uint256 scheduleId) external view returns (uint256[] memory monthlyAmounts) {
        _get(scheduleId);
        uint256[] storage cumulative = _curveCumulative[scheduleId];
        uint256 n = cumulative.length;
        monthlyAmounts = new uint256[](n);
        uint256 previous = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint256 c = cumulative[i];
            monthlyAmounts[i] = c - previous;
            previous = c;
        }
    }

    // ------------------------------------------------------------------ internals

    function _checkGrant(address beneficiary, uint256 total, uint256 immediate) private pure {
        if (beneficiary == address(0)) revert ZeroAddress();
        if (total == 0) revert ZeroAmount();
        if (immediate > total) revert ImmediateExceedsTotal(immediate, total);
    }

    function _push(
        address beneficiary,
        bytes32 category,
        uint256 total,
        uint256 immediate,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        bool isCurve
    ) private returns (uint256 scheduleId) {
        scheduleId = _schedules.length;
        Schedule storage s = _schedules.push();
        s.beneficiary = beneficiary;
        s.start = start;
        s.isCurve = isCurve;
        s.cliff = cliff;
        s.duration = duration;
        s.category = category;
        s.total = total;
        s.immediate = immediate;
    }

    function _get(uint256 scheduleId) private view returns (Schedule storage) {
        if (scheduleId >= _schedules.length) revert UnknownSchedule(scheduleId);
        return _schedules[scheduleId];
    }

    /// @dev The unfrozen vesting formula of icn-protocol.md §2, in integer arithmetic.
    ///      Linear: `immediate` while t < cliff; `total` at t >= cliff if duration == 0;
    ///      else immediate + floor((total - immediate) · min(t - start, duration) / duration).
    ///      Curve: immediate + every tranche k with start + k·ONE_MONTH <= t.
    ///      t >= cliff >= start, so t - start never underflows.
    function _vestedAt(uint256 scheduleId, Schedule storage s, uint64 t) private view returns (uint256) {
        if (s.isCurve) {
            if (t < s.start) return s.immediate;
            uint256 months = (uint256(t) - s.start) / ONE_MONTH;
            if (months == 0) return s.immediate;
            uint256[] storage cumulative = _curveCumulative[scheduleId];
            uint256 n = cumulative.length;
            if (months > n) months = n;
            return s.immediate + cumulative[months - 1];
        }
        if (t < s.cliff) return s.immediate;
        uint256 duration = s.duration;
        if (duration == 0) return s.total;
        uint256 elapsed = uint256(t) - s.start;
        if (elapsed > duration) elapsed = duration;
        return s.immediate + ((s.total - s.immediate) * elapsed) / duration;
    }
}

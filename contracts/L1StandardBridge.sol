// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title L1StandardBridge (devnet reference of the OP standard bridge's L1 half, ERC-20 only)
/// @notice A deposit escrows tokens here (a Transfer to the bridge) and, once a
///         relayer carries it across, the L2 bridge mints the same amount. A
///         withdrawal burned on the L2 is finalized here by the relayer, which
///         releases the escrowed tokens. The OP stack proves messages between
///         the chains; the devnet trusts one relayer address instead, and that
///         is the only difference an indexer can see.
/// @dev Invariant: for every (l1Token, l2Token), deposits[l1Token][l2Token] ==
///      Σ deposits initiated − Σ withdrawals finalized, and the bridge's
///      l1Token balance is at least the sum over l2Tokens.
contract L1StandardBridge {
    using SafeERC20 for IERC20;

    /// @notice The only address allowed to finalize withdrawals (stands for the L2-to-L1 message proof).
    address public immutable relayer;

    /// @notice Tokens escrowed per token pair.
    mapping(address => mapping(address => uint256)) public deposits;

    event ERC20DepositInitiated(
        address indexed l1Token, address indexed l2Token, address indexed from, address to, uint256 amount, bytes extraData
    );
    event ERC20WithdrawalFinalized(
        address indexed l1Token, address indexed l2Token, address indexed from, address to, uint256 amount, bytes extraData
    );

    error NotRelayer(address caller);
    error InsufficientDeposits(address l1Token, address l2Token, uint256 escrowed, uint256 requested);

    constructor(address relayer_) {
        relayer = relayer_;
    }

    /// @notice Escrows `amount` of `l1Token` from the caller, to be minted to `to` as `l2Token` on the L2.
    function depositERC20To(address l1Token, address l2Token, address to, uint256 amount, uint32 minGasLimit, bytes calldata extraData)
        external
    {
        // The OP bridge hands minGasLimit to its messenger; the devnet's relayer needs none.
        minGasLimit;
        deposits[l1Token][l2Token] += amount;
        IERC20(l1Token).safeTransferFrom(msg.sender, address(this), amount);
        emit ERC20DepositInitiated(l1Token, l2Token, msg.sender, to, amount, extraData);
    }

    /// @notice Releases `amount` of escrowed `l1Token` to `to`, for a withdrawal `from` burned on the L2.
    function finalizeERC20Withdrawal(
        address l1Token,
        address l2Token,
        address from,
        address to,
        uint256 amount,
        bytes calldata extraData
    ) external {
        if (msg.sender != relayer) revert NotRelayer(msg.sender);
        uint256 escrowed = deposits[l1Token][l2Token];
        if (escrowed < amount) revert InsufficientDeposits(l1Token, l2Token, escrowed, amount);
        deposits[l1Token][l2Token] = escrowed - amount;
        IERC20(l1Token).safeTransfer(to, amount);
        emit ERC20WithdrawalFinalized(l1Token, l2Token, from, to, amount, extraData);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {OptimismMintableERC20} from "contracts/OptimismMintableERC20.sol";

/// @title L2StandardBridge (devnet reference of the OP standard bridge's L2 half, ERC-20 only)
/// @notice The relayer finalizes deposits escrowed on the L1 (minting the L2
///         token); anyone withdraws by burning, to be released on the L1 once
///         the relayer finalizes it there.
contract L2StandardBridge {
    /// @notice The only address allowed to finalize deposits (stands for the L1-to-L2 message).
    address public immutable relayer;

    event DepositFinalized(
        address indexed l1Token, address indexed l2Token, address indexed from, address to, uint256 amount, bytes extraData
    );
    event WithdrawalInitiated(
        address indexed l1Token, address indexed l2Token, address indexed from, address to, uint256 amount, bytes extraData
    );

    error NotRelayer(address caller);
    error WrongRemoteToken(address l2Token, address expected, address given);

    constructor(address relayer_) {
        relayer = relayer_;
    }

    /// @notice Mints `amount` of `l2Token` to `to` for a deposit `from` escrowed on the L1.
    function finalizeDeposit(
        address l1Token,
        address l2Token,
        address from,
        address to,
        uint256 amount,
        bytes calldata extraData
    ) external {
        if (msg.sender != relayer) revert NotRelayer(msg.sender);
        address remote = OptimismMintableERC20(l2Token).remoteToken();
        if (remote != l1Token) revert WrongRemoteToken(l2Token, remote, l1Token);
        OptimismMintableERC20(l2Token).mint(to, amount);
        emit DepositFinalized(l1Token, l2Token, from, to, amount, extraData);
    }

    /// @notice Burns `amount` of the caller's `l2Token`, to be released to `to` on the L1.
    function withdrawTo(address l2Token, address to, uint256 amount, uint32 minGasLimit, bytes calldata extraData) external {
        // The OP bridge hands minGasLimit to its messenger; the devnet's relayer needs none.
        minGasLimit;
        address l1Token = OptimismMintableERC20(l2Token).remoteToken();
        OptimismMintableERC20(l2Token).burn(msg.sender, amount);
        emit WithdrawalInitiated(l1Token, l2Token, msg.sender, to, amount, extraData);
    }
}

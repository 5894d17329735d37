// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title ICNT, the Impossible Cloud Network token (devnet reference)
/// @notice A fixed-supply ERC-20: all 700,000,000 ICNT are minted once, to the
///         foundation, in the constructor. Holders may burn.
/// @dev Invariant: totalSupply() == 700_000_000e18 - (everything burned). There is
///      deliberately no mint function after deployment, so the only Transfer from
///      the zero address is the genesis mint.
contract ICNT is ERC20, ERC20Burnable {
    /// @notice The fixed supply, minted at deployment.
    uint256 public constant INITIAL_SUPPLY = 700_000_000e18;

    /// @dev `to` and `amounts` of a batch transfer must have the same length.
    error LengthMismatch(uint256 recipients, uint256 amounts);

    constructor(address foundation) ERC20("Impossible Cloud Network Token", "ICNT") {
        // _mint reverts with ERC20InvalidReceiver on the zero address.
        _mint(foundation, INITIAL_SUPPLY);
    }

    /// @notice Sends `amounts[i]` to `to[i]` for every i, from the caller.
    /// @dev Exists so the devnet simulator can produce many Transfer logs in one
    ///      transaction (the indexer must handle dense blocks). Each entry is an
    ///      ordinary transfer: same checks, same Transfer event, nothing batched
    ///      at the accounting level, so an indexer cannot tell it from N calls.
    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external {
        uint256 n = to.length;
        if (n != amounts.length) revert LengthMismatch(n, amounts.length);
        for (uint256 i = 0; i < n; ++i) {
            _transfer(msg.sender, to[i], amounts[i]);
        }
    }
}

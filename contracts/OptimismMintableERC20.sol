// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title OptimismMintableERC20 (devnet reference): ICNT on the L2
/// @notice A representation of ICNT escrowed in the L1 bridge: only the L2
///         bridge mints (a deposit arriving) and burns (a withdrawal leaving).
///         Each mint and burn emits Mint or Burn beside the ERC-20 Transfer
///         from or to the zero address, as the OP stack's token does.
/// @dev Invariant: totalSupply() == Σ deposits finalized − Σ withdrawals initiated.
contract OptimismMintableERC20 is ERC20 {
    /// @notice ICNT on the L1.
    address public immutable remoteToken;
    /// @notice The L2 standard bridge, the only minter and burner.
    address public immutable bridge;

    event Mint(address indexed account, uint256 amount);
    event Burn(address indexed account, uint256 amount);

    error NotBridge(address caller);
    /// @dev `to` and `amounts` of a batch transfer must have the same length.
    error LengthMismatch(uint256 recipients, uint256 amounts);

    constructor(address bridge_, address remoteToken_) ERC20("Impossible Cloud Network Token", "ICNT") {
        bridge = bridge_;
        remoteToken = remoteToken_;
    }

    modifier onlyBridge() {
        if (msg.sender != bridge) revert NotBridge(msg.sender);
        _;
    }

    function mint(address to, uint256 amount) external onlyBridge {
        _mint(to, amount);
        emit Mint(to, amount);
    }

    function burn(address from, uint256 amount) external onlyBridge {
        _burn(from, amount);
        emit Burn(from, amount);
    }

    /// @notice Sends `amounts[i]` to `to[i]` for every i, from the caller: dense
    ///         blocks for the devnet, each entry an ordinary transfer (as ICNT's).
    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external {
        uint256 n = to.length;
        if (n != amounts.length) revert LengthMismatch(n, amounts.length);
        for (uint256 i = 0; i < n; ++i) {
            _transfer(msg.sender, to[i], amounts[i]);
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title SLAOracle: HyperNodes report how scaler nodes performed, era by era (devnet reference)
/// @notice The chain only records reports; consensus (median over HyperNodes, quorum,
///         deviation) is the indexer's job, so nothing here aggregates or judges them.
/// @dev Deliberately stateless about reports: each attestation is one event, no storage,
///      so a HyperNode can report ~200 nodes in one transaction cheaply. Node ids are not
///      checked against ICNStaking: the oracle is a separate contract (and ICN's real
///      protocol may emit these events from one modular proxy).
contract SLAOracle is Ownable {
    uint8 public constant HYPERNODE_ACTIVE = 1;
    uint8 public constant HYPERNODE_INACTIVE = 2;
    uint8 public constant METRIC_UPTIME = 0;
    uint8 public constant METRIC_LATENCY = 1;
    uint8 public constant METRIC_CHALLENGES = 2;
    /// @notice Uptime is in basis points: 10000 = 100%.
    uint32 public constant MAX_UPTIME_BPS = 10_000;

    struct HyperNode {
        address operator;
        uint8 status; // 0 only for ids never registered
        string location;
    }

    /// @notice One HyperNode's measurements of one node over one era.
    struct Report {
        uint256 nodeId;
        uint256 era;
        uint32 uptimeBps;
        uint32 latencyMs;
        uint32 challengesPassed;
        uint32 challengesFailed;
    }

    uint256 private _hyperNodeCount; // ids are 1.._hyperNodeCount
    mapping(uint256 hyperNodeId => HyperNode) private _hyperNodes;

    event HyperNodeRegistered(uint256 indexed hyperNodeId, address indexed operator, string location);
    event HyperNodeStatusChanged(uint256 indexed hyperNodeId, uint8 status);
    event SlaAttested(
        uint256 indexed nodeId,
        uint256 indexed era,
        uint256 indexed hyperNodeId,
        uint32 uptimeBps,
        uint32 latencyMs,
        uint32 challengesPassed,
        uint32 challengesFailed
    );
    event SlaViolation(uint256 indexed nodeId, uint256 indexed era, uint8 metric, uint256 observed, uint256 threshold);

    error ZeroAddress();
    error UnknownHyperNode(uint256 hyperNodeId);
    error InvalidStatus(uint8 status);
    error NotOperator(uint256 hyperNodeId, address caller);
    error HyperNodeInactive(uint256 hyperNodeId);
    error UptimeOutOfRange(uint256 nodeId, uint32 uptimeBps);
    error InvalidMetric(uint8 metric);

    constructor(address initialOwner) Ownable(initialOwner) {}

    function registerHyperNode(address operator, string calldata location)
        external
        onlyOwner
        returns (uint256 hyperNodeId)
    {
        if (operator == address(0)) revert ZeroAddress();
        hyperNodeId = ++_hyperNodeCount;
        HyperNode storage h = _hyperNodes[hyperNodeId];
        h.operator = operator;
        h.status = HYPERNODE_ACTIVE;
        h.location = location;
        emit HyperNodeRegistered(hyperNodeId, operator, location);
    }

    /// @notice Activates (1) or deactivates (2) a HyperNode. Reports it made while active
    ///         stay valid: the indexer counts every report the chain accepted.
    function setHyperNodeStatus(uint256 hyperNodeId, uint8 status) external onlyOwner {
        HyperNode storage h = _hyperNode(hyperNodeId);
        if (status != HYPERNODE_ACTIVE && status != HYPERNODE_INACTIVE) revert InvalidStatus(status);
        h.status = status;
        emit HyperNodeStatusChanged(hyperNodeId, status);
    }

    /// @notice Records one SlaAttested event per report. The caller must be the
    ///         HyperNode's operator and the HyperNode must be active.
    /// @dev A later report by the same HyperNode for the same node and era is accepted
    ///      too; the indexer lets it replace the earlier one.
    function attest(uint256 hyperNodeId, Report[] calldata reports) external {
        HyperNode storage h = _hyperNode(hyperNodeId);
        if (msg.sender != h.operator) revert NotOperator(hyperNodeId, msg.sender);
        if (h.status != HYPERNODE_ACTIVE) revert HyperNodeInactive(hyperNodeId);
        uint256 count = reports.length;
        for (uint256 i = 0; i < count; ++i) {
            Report calldata r = reports[i];
            if (r.uptimeBps > MAX_UPTIME_BPS) revert UptimeOutOfRange(r.nodeId, r.uptimeBps);
            emit SlaAttested(
                r.nodeId, r.era, hyperNodeId, r.uptimeBps, r.latencyMs, r.challengesPassed, r.challengesFailed
            );
        }
    }

    /// @notice Records that an era's reports put a node below a threshold
    ///         (metric 0 uptime, 1 latency, 2 challenges).
    function raiseViolation(uint256 nodeId, uint256 era, uint8 metric, uint256 observed, uint256 threshold)
        external
        onlyOwner
    {
        if (metric > METRIC_CHALLENGES) revert InvalidMetric(metric);
        emit SlaViolation(nodeId, era, metric, observed, threshold);
    }

    function hyperNodeCount() external view returns (uint256) {
        return _hyperNodeCount;
    }

    function getHyperNode(uint256 hyperNodeId)
        external
        view
        returns (address operator, string memory location, uint8 status)
    {
        HyperNode storage h = _hyperNode(hyperNodeId);
        return (h.operator, h.location, h.status);
    }

    function _hyperNode(uint256 hyperNodeId) private view returns (HyperNode storage h) {
        h = _hyperNodes[hyperNodeId];
        if (h.status == 0) revert UnknownHyperNode(hyperNodeId);
    }
}

import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, BigIntColumn as BigIntColumn_, StringColumn as StringColumn_, Index as Index_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * A scaler node, current state.
 */
@Entity_()
export class Node {
    constructor(props?: Partial<Node>) {
        Object.assign(this, props)
    }

    /**
     * nodeId, zero-padded
     */
    @PrimaryColumn_()
    id!: string

    @BigIntColumn_({nullable: false})
    nodeId!: bigint

    @Index_()
    @StringColumn_({nullable: false})
    hardwareProvider!: string

    @Index_()
    @StringColumn_({nullable: false})
    region!: string

    @Index_()
    @StringColumn_({nullable: false})
    hwClass!: string

    /**
     * 1 Registered, 2 Validated, 3 Rejected, 4 Removed
     */
    @Index_()
    @IntColumn_({nullable: false})
    status!: number

    @BigIntColumn_({nullable: false})
    totalCapacity!: bigint

    @BigIntColumn_({nullable: false})
    collateralRegistered!: bigint

    /**
     * Registered collateral minus provider slashes.
     */
    @BigIntColumn_({nullable: false})
    collateral!: bigint

    @BigIntColumn_({nullable: false})
    commitmentEnd!: bigint

    /**
     * Sum of positions not yet reclaimed (undelegated ones still count).
     */
    @BigIntColumn_({nullable: false})
    delegatedStake!: bigint

    /**
     * Positions not yet reclaimed.
     */
    @IntColumn_({nullable: false})
    activePositions!: number

    /**
     * Next nodeDelegationIndex (delegations ever made to the node).
     */
    @IntColumn_({nullable: false})
    delegationCount!: number

    @BigIntColumn_({nullable: false})
    revenue!: bigint

    @IntColumn_({nullable: false})
    bookingCount!: number

    @BigIntColumn_({nullable: false})
    slashedProvider!: bigint

    @BigIntColumn_({nullable: false})
    slashedDelegators!: bigint

    @IntColumn_({nullable: false})
    slashCount!: number

    @IntColumn_({nullable: false})
    violationCount!: number

    @IntColumn_({nullable: false})
    registeredBlock!: number

    @DateTimeColumn_({nullable: false})
    registeredAt!: Date
}

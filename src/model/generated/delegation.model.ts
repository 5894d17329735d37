import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, IntColumn as IntColumn_, BigIntColumn as BigIntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * A delegator's position (one lockedDelegationIndex), current state.
 */
@Index_(["nodeId", "nodeDelegationIndex"], {unique: false})
@Index_(["nodeId", "createdBlock", "id"], {unique: false})
@Entity_()
export class Delegation {
    constructor(props?: Partial<Delegation>) {
        Object.assign(this, props)
    }

    /**
     * delegator - lockedDelegationIndex (zero-padded)
     */
    @PrimaryColumn_()
    id!: string

    @Index_()
    @StringColumn_({nullable: false})
    delegator!: string

    @IntColumn_({nullable: false})
    lockedDelegationIndex!: number

    @StringColumn_({nullable: false})
    nodeId!: string

    @IntColumn_({nullable: false})
    nodeDelegationIndex!: number

    /**
     * Which event created it: V1 (CollateralDelegated), V2 (CollateralDelegatedV2) or CREATED (DelegationCreated).
     */
    @StringColumn_({nullable: false})
    createdVia!: string

    @BigIntColumn_({nullable: false})
    initialAmount!: bigint

    /**
     * Current amount: initial minus slashes minus withdrawals.
     */
    @BigIntColumn_({nullable: false})
    amount!: bigint

    @BigIntColumn_({nullable: false})
    slashed!: bigint

    @BigIntColumn_({nullable: false})
    withdrawn!: bigint

    @BigIntColumn_({nullable: false})
    apyScalingFactor!: bigint

    @BigIntColumn_({nullable: false})
    unlockTimestamp!: bigint

    /**
     * ACTIVE, UNDELEGATED, RECLAIMED, WITHDRAWN
     */
    @Index_()
    @StringColumn_({nullable: false})
    status!: string

    @IntColumn_({nullable: false})
    createdBlock!: number

    @DateTimeColumn_({nullable: false})
    createdAt!: Date

    @IntColumn_({nullable: true})
    undelegatedBlock!: number | undefined | null

    @IntColumn_({nullable: true})
    reclaimedBlock!: number | undefined | null
}

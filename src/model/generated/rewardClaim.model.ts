import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * PendingRewardsClaimInitialized / HPDelegationICNTRewardsClaimedV2 / HpRewardClaimed.
 */
@Index_(["account", "id"], {unique: false})
@Entity_()
export class RewardClaim {
    constructor(props?: Partial<RewardClaim>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @StringColumn_({nullable: false})
    account!: string

    /**
     * DELEGATOR_PENDING, DELEGATOR_CLAIMED, HP_CLAIMED
     */
    @StringColumn_({nullable: false})
    kind!: string

    @BigIntColumn_({nullable: true})
    claimIndex!: bigint | undefined | null

    @BigIntColumn_({nullable: false})
    amount!: bigint

    @BigIntColumn_({nullable: true})
    unlockTimestamp!: bigint | undefined | null

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string
}

import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, IntColumn as IntColumn_, Index as Index_, DateTimeColumn as DateTimeColumn_, BigIntColumn as BigIntColumn_} from "@subsquid/typeorm-store"

/**
 * Written whenever total supply, the vesting contracts' balance or the staked balance changes (at most one per block).
 */
@Entity_()
export class SupplyCheckpoint {
    constructor(props?: Partial<SupplyCheckpoint>) {
        Object.assign(this, props)
    }

    /**
     * block number, zero-padded
     */
    @PrimaryColumn_()
    id!: string

    @Index_({unique: true})
    @IntColumn_({nullable: false})
    blockNumber!: number

    @Index_()
    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @BigIntColumn_({nullable: false})
    totalSupply!: bigint

    @BigIntColumn_({nullable: false})
    minted!: bigint

    @BigIntColumn_({nullable: false})
    burned!: bigint

    /**
     * ICNT held by vesting contracts (not yet released).
     */
    @BigIntColumn_({nullable: false})
    vestingBalance!: bigint

    /**
     * ICNT held by staking contracts (collateral and delegations).
     */
    @BigIntColumn_({nullable: false})
    staked!: bigint
}

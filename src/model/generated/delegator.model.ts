import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, IntColumn as IntColumn_, BigIntColumn as BigIntColumn_} from "@subsquid/typeorm-store"

/**
 * Per-delegator counters (the next lockedDelegationIndex for V1 events).
 */
@Entity_()
export class Delegator {
    constructor(props?: Partial<Delegator>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @IntColumn_({nullable: false})
    positionCount!: number

    @BigIntColumn_({nullable: false})
    delegated!: bigint

    @BigIntColumn_({nullable: false})
    rewardsClaimed!: bigint
}

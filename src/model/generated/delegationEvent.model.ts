import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * One event in a delegation's life (created, undelegated, reclaimed, withdrawn, slashed).
 */
@Index_(["delegator", "id"], {unique: false})
@Entity_()
export class DelegationEvent {
    constructor(props?: Partial<DelegationEvent>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @StringColumn_({nullable: false})
    delegationId!: string

    @StringColumn_({nullable: false})
    delegator!: string

    @Index_()
    @StringColumn_({nullable: false})
    nodeId!: string

    /**
     * CREATED_V1, CREATED_V2, CREATED, UNDELEGATED, RECLAIMED, WITHDRAWN, SLASHED
     */
    @StringColumn_({nullable: false})
    kind!: string

    @BigIntColumn_({nullable: true})
    amount!: bigint | undefined | null

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string
}

import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, StringColumn as StringColumn_, Index as Index_, IntColumn as IntColumn_, BigIntColumn as BigIntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * SlaViolation.
 */
@Entity_()
export class SlaViolation {
    constructor(props?: Partial<SlaViolation>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @StringColumn_({nullable: false})
    nodeId!: string

    @Index_()
    @IntColumn_({nullable: false})
    era!: number

    /**
     * 0 uptime, 1 latency, 2 challenges
     */
    @IntColumn_({nullable: false})
    metric!: number

    @BigIntColumn_({nullable: false})
    observed!: bigint

    @BigIntColumn_({nullable: false})
    threshold!: bigint

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string
}

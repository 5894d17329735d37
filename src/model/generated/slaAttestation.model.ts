import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * SlaAttested: one HyperNode's report on one node for one era.
 */
@Index_(["nodeId", "era"], {unique: false})
@Entity_()
export class SlaAttestation {
    constructor(props?: Partial<SlaAttestation>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @StringColumn_({nullable: false})
    nodeId!: string

    @Index_()
    @IntColumn_({nullable: false})
    era!: number

    @Index_()
    @StringColumn_({nullable: false})
    hyperNodeId!: string

    @IntColumn_({nullable: false})
    uptimeBps!: number

    @IntColumn_({nullable: false})
    latencyMs!: number

    @IntColumn_({nullable: false})
    challengesPassed!: number

    @IntColumn_({nullable: false})
    challengesFailed!: number

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string
}

import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, IntColumn as IntColumn_, BooleanColumn as BooleanColumn_, FloatColumn as FloatColumn_} from "@subsquid/typeorm-store"

/**
 * A node's SLA consensus for one era, maintained at ingest in the same
 * transaction as the reports (src/domain/sla.ts): the median of each metric over
 * the latest report of each distinct HyperNode; thresholds and quorum come from
 * the network preset.
 */
@Index_(["nodeId", "era"], {unique: true})
@Index_(["nodeId", "id"], {unique: false})
@Entity_()
export class NodeEra {
    constructor(props?: Partial<NodeEra>) {
        Object.assign(this, props)
    }

    /**
     * nodeId - era (zero-padded)
     */
    @PrimaryColumn_()
    id!: string

    @StringColumn_({nullable: false})
    nodeId!: string

    @Index_()
    @IntColumn_({nullable: false})
    era!: number

    /**
     * HyperNode id of each report counted (the latest of each HyperNode for this node and era), sorted by id.
     */
    @StringColumn_({array: true, nullable: false})
    reportHyperNodes!: (string)[]

    /**
     * Five integers per report, in the order of reportHyperNodes: uptimeBps, latencyMs, challengesPassed, challengesFailed, blockNumber.
     */
    @IntColumn_({array: true, nullable: false})
    reportValues!: (number)[]

    @IntColumn_({nullable: false})
    reportCount!: number

    @BooleanColumn_({nullable: false})
    quorum!: boolean

    @FloatColumn_({nullable: false})
    uptimeBps!: number

    @FloatColumn_({nullable: false})
    latencyMs!: number

    @FloatColumn_({nullable: false})
    challengePassRate!: number

    /**
     * False without quorum.
     */
    @BooleanColumn_({nullable: false})
    meetsSla!: boolean

    /**
     * UPTIME, LATENCY, CHALLENGES: the metrics below threshold (empty without quorum).
     */
    @StringColumn_({array: true, nullable: false})
    failedMetrics!: (string)[]

    @IntColumn_({nullable: false})
    lastReportBlock!: number
}

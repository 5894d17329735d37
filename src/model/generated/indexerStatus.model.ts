import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, IntColumn as IntColumn_, StringColumn as StringColumn_, DateTimeColumn as DateTimeColumn_, JSONColumn as JSONColumn_} from "@subsquid/typeorm-store"

/**
 * The indexer's own progress, one row (id 'status'), written in every batch's transaction.
 */
@Entity_()
export class IndexerStatus {
    constructor(props?: Partial<IndexerStatus>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @IntColumn_({nullable: false})
    height!: number

    @StringColumn_({nullable: false})
    hash!: string

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    /**
     * Highest block the processor considers final (head minus the preset's confirmations).
     */
    @IntColumn_({nullable: false})
    finalizedHeight!: number

    /**
     * Chain head as last seen by the processor.
     */
    @IntColumn_({nullable: false})
    chainHead!: number

    /**
     * Logs at watched addresses that did not decode, or events that could not be applied, since the start of the index.
     */
    @IntColumn_({nullable: false})
    undecodedLogs!: number

    /**
     * Events whose stated sums the index's own arithmetic does not reach (e.g. a slash's per-position losses against its delegatorAmount), since the start of the index.
     */
    @IntColumn_({nullable: false})
    inconsistencies!: number

    /**
     * Logs at watched addresses whose topic is none of the spec's events (OpenZeppelin's ownership, proxy and role events, ...), skipped and counted: [{address, topic, count, firstBlock, lastBlock}], since the start of the index.
     */
    @JSONColumn_({nullable: false})
    unknownEvents!: unknown

    /**
     * What makes the index's figures suspect without stopping it (a start block after the token's deployment, no mint at the head): [{code, message}].
     */
    @JSONColumn_({nullable: false})
    warnings!: unknown

    /**
     * First block from which every change of a Node, Delegation, Booking, VestingSchedule and HyperNode has its EntityVersion: entities at an earlier block are not answered (an index built before versions were kept).
     */
    @IntColumn_({nullable: true})
    versionsFrom!: number | undefined | null
}

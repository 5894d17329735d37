import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, StringColumn as StringColumn_, Index as Index_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * CapacityBooked / BookingExtended / BookingEnded.
 */
@Entity_()
export class BookingEvent {
    constructor(props?: Partial<BookingEvent>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @StringColumn_({nullable: false})
    bookingId!: string

    @Index_()
    @StringColumn_({nullable: false})
    nodeId!: string

    /**
     * BOOKED, EXTENDED, ENDED
     */
    @StringColumn_({nullable: false})
    kind!: string

    @BigIntColumn_({nullable: true})
    amount!: bigint | undefined | null

    @BigIntColumn_({nullable: true})
    newEndTime!: bigint | undefined | null

    @IntColumn_({nullable: true})
    reason!: number | undefined | null

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string
}

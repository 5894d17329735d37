import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, BigIntColumn as BigIntColumn_, StringColumn as StringColumn_, Index as Index_, BooleanColumn as BooleanColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * A capacity booking, current state.
 */
@Entity_()
export class Booking {
    constructor(props?: Partial<Booking>) {
        Object.assign(this, props)
    }

    /**
     * bookingId, zero-padded
     */
    @PrimaryColumn_()
    id!: string

    @BigIntColumn_({nullable: false})
    bookingId!: bigint

    @Index_()
    @StringColumn_({nullable: false})
    nodeId!: string

    @Index_()
    @StringColumn_({nullable: false})
    serviceProvider!: string

    @BigIntColumn_({nullable: false})
    capacity!: bigint

    /**
     * Gross price paid: the booking plus its extensions.
     */
    @BigIntColumn_({nullable: false})
    price!: bigint

    @BigIntColumn_({nullable: false})
    startTime!: bigint

    @BigIntColumn_({nullable: false})
    endTime!: bigint

    @BooleanColumn_({nullable: false})
    ended!: boolean

    /**
     * 0 expired, 1 cancelled, 2 provider fault
     */
    @IntColumn_({nullable: true})
    endReason!: number | undefined | null

    @IntColumn_({nullable: true})
    endedBlock!: number | undefined | null

    @DateTimeColumn_({nullable: true})
    endedAt!: Date | undefined | null

    @IntColumn_({nullable: false})
    createdBlock!: number

    @DateTimeColumn_({nullable: false})
    createdAt!: Date
}

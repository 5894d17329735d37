import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, BigIntColumn as BigIntColumn_, StringColumn as StringColumn_, Index as Index_, BooleanColumn as BooleanColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * A vesting schedule (one grant), current state.
 */
@Entity_()
export class VestingSchedule {
    constructor(props?: Partial<VestingSchedule>) {
        Object.assign(this, props)
    }

    /**
     * scheduleId, zero-padded
     */
    @PrimaryColumn_()
    id!: string

    @BigIntColumn_({nullable: false})
    scheduleId!: bigint

    @StringColumn_({nullable: false})
    contract!: string

    @Index_()
    @StringColumn_({nullable: false})
    beneficiary!: string

    @Index_()
    @StringColumn_({nullable: false})
    category!: string

    @BigIntColumn_({nullable: false})
    total!: bigint

    @BigIntColumn_({nullable: false})
    immediate!: bigint

    /**
     * unix seconds
     */
    @BigIntColumn_({nullable: false})
    start!: bigint

    @BigIntColumn_({nullable: false})
    cliff!: bigint

    @BigIntColumn_({nullable: false})
    duration!: bigint

    /**
     * Monthly tranches of a curve schedule in wei, as decimal strings (null for linear).
     */
    @StringColumn_({array: true, nullable: true})
    curve!: (string)[] | undefined | null

    @BigIntColumn_({nullable: false})
    released!: bigint

    @BooleanColumn_({nullable: false})
    revoked!: boolean

    @BigIntColumn_({nullable: true})
    revokedAt!: bigint | undefined | null

    @BigIntColumn_({nullable: true})
    unvestedReturned!: bigint | undefined | null

    @IntColumn_({nullable: false})
    createdBlock!: number

    @DateTimeColumn_({nullable: false})
    createdAt!: Date
}

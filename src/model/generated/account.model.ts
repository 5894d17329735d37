import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, BigIntColumn as BigIntColumn_, Index as Index_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"

/**
 * An ICNT holder, current state.
 */
@Entity_()
export class Account {
    constructor(props?: Partial<Account>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @BigIntColumn_({nullable: false})
    balance!: bigint

    @IntColumn_({nullable: false})
    transfersIn!: number

    @IntColumn_({nullable: false})
    transfersOut!: number

    @IntColumn_({nullable: false})
    firstSeenBlock!: number

    @IntColumn_({nullable: false})
    lastActiveBlock!: number
}

import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, BigIntColumn as BigIntColumn_, StringColumn as StringColumn_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"

@Entity_()
export class HyperNode {
    constructor(props?: Partial<HyperNode>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @BigIntColumn_({nullable: false})
    hyperNodeId!: bigint

    @StringColumn_({nullable: false})
    operator!: string

    @StringColumn_({nullable: false})
    location!: string

    /**
     * 1 active, 2 inactive
     */
    @IntColumn_({nullable: false})
    status!: number

    @IntColumn_({nullable: false})
    reportCount!: number

    @IntColumn_({nullable: false})
    registeredBlock!: number
}

import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * Where the index starts, when the preset names no startBlock: the token's
 * deployment block, found once on the chain (bisection on eth_getCode) and kept
 * here so a restart does not search again (the preset file is never rewritten).
 */
@Entity_()
export class IndexStart {
    constructor(props?: Partial<IndexStart>) {
        Object.assign(this, props)
    }

    /**
     * chain id : token address
     */
    @PrimaryColumn_()
    id!: string

    @IntColumn_({nullable: false})
    block!: number

    @DateTimeColumn_({nullable: false})
    foundAt!: Date
}

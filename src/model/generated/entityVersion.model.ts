import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, IntColumn as IntColumn_, JSONColumn as JSONColumn_} from "@subsquid/typeorm-store"

/**
 * A current-state row (node, delegation, booking, vesting_schedule,
 * hyper_node) as it stood after a block that changed it: what the API's
 * block: arguments answer from. Written in the same transaction as the row
 * itself, so a reorg rolls both back.
 */
@Index_(["entity", "entityId", "block"], {unique: true})
@Index_(["entity", "parent", "entityId", "block"], {unique: false})
@Index_(["entity", "owner", "entityId", "block"], {unique: false})
@Entity_()
export class EntityVersion {
    constructor(props?: Partial<EntityVersion>) {
        Object.assign(this, props)
    }

    /**
     * table - entity id - block (10 digits)
     */
    @PrimaryColumn_()
    id!: string

    /**
     * The entity's table: node, delegation, booking, vesting_schedule or hyper_node.
     */
    @StringColumn_({nullable: false})
    entity!: string

    @StringColumn_({nullable: false})
    entityId!: string

    @IntColumn_({nullable: false})
    block!: number

    /**
     * The node a delegation or booking is on (never changes): a node's list at a block reads only its own.
     */
    @StringColumn_({nullable: true})
    parent!: string | undefined | null

    /**
     * The account a row belongs to (a node's provider, a position's delegator, a booking's service provider, a schedule's beneficiary; never changes).
     */
    @StringColumn_({nullable: true})
    owner!: string | undefined | null

    /**
     * The row's columns after the block, keyed by column name, in Postgres's text form (read back by jsonb_populate_record).
     */
    @JSONColumn_({nullable: false})
    state!: unknown
}

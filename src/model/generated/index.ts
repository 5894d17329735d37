export * from "./indexerStatus.model"
export * from "./account.model"
export * from "./transfer.model"

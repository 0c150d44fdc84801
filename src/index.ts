// The library: the service functions, the stores, the app and the wire schemas.
export { type Analytics, createAnalytics } from "./analytics.js";
export { createApp, sharedServices } from "./app.js";
export { type Config, parseConfig } from "./config.js";
export { AppError, type Issue } from "./errors.js";
export * from "./records.js";
export { StoreError, type StoreFailure } from "./store/errors.js";
export { nodePgStore } from "./store/pg/node-pg.js";
export { betterSqliteStore } from "./store/sqlite/embedded/store.js";
export type * from "./store/types.js";

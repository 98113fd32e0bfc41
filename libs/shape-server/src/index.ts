export type { Queryable, ShapeSource } from './lib/source';
export { installChangeCapture, resetLog, DEFAULT_LOG_SCHEMA, NOTIFY_CHANNEL } from './lib/change-capture';
export { createShapeHandler, type ShapeHandler, type ShapeHandlerOptions } from './lib/shape-handler';
export { startShapeServer, type RunningShapeServer, type ShapeServerOptions } from './lib/shape-server';
export { parseTableName, type TableName } from './lib/sql-identifiers';

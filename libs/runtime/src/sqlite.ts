// `@sync-patterns/runtime/sqlite`: the local SQLite half of live mode (migrations, drivers), kept
// apart so apps that do not keep data locally load none of it.
export * from './lib/sqlite/sqlite-driver';
export * from './lib/sqlite/migrate';
export * from './lib/sqlite/local-store';
export * from './lib/sqlite/local-owner';

// `@sync-patterns/runtime/sqlite` inside this repository, as the built package's root sqlite.js is outside it.
export * from './src/sqlite';

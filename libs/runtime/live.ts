// `@sync-patterns/runtime/live` inside this repository, as the built package's root live.js is outside it.
export * from './src/live';

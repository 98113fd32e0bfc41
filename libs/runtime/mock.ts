// `@sync-patterns/runtime/mock` inside this repository, as the built package's root mock.js is outside it.
export * from './src/mock';

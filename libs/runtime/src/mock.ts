// `@sync-patterns/runtime/mock`: fake data and MSW handlers for the per-model `testing` entries that
// sync-patterns generates, kept apart so that apps never bundle MSW.
export * from './lib/mock/fake-data';
export * from './lib/mock/mock-resource';

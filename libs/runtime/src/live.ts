// `@sync-patterns/runtime/live`: what generated live-mode code imports, kept apart from the main
// entry so push-only apps do not need TanStack DB or the Electric client.
export * from './lib/live/live-collection';
export * from './lib/live/collection-ready';
export * from './lib/live/live-status';
export * from './lib/live/live-scope';
export * from './lib/live/live-result';
export * from './lib/live/live-rows';
export * from './lib/live/live-mutations';
export * from './lib/live/txid';
export * from './lib/live/fake-shape';
export * from './lib/live/where-params';

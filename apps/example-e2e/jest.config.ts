export default {
  displayName: 'example-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // The live tests import the example's libraries generated with Todo in live mode.
  globalSetup: '<rootDir>/test/live-variant.ts',
  testEnvironment: '<rootDir>/test/jsdom-with-node-fetch.js',
  testPathIgnorePatterns: ['/node_modules/', '/.live/'],
  testTimeout: 60_000,
};

export default {
  displayName: 'example-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // The tests import the example's libraries generated with Todo in push and in live mode.
  globalSetup: '<rootDir>/test/mode-variants.ts',
  testEnvironment: '<rootDir>/test/jsdom-with-node-fetch.js',
  setupFilesAfterEnv: ['<rootDir>/test/testing-library-setup.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.variants/'],
  testTimeout: 60_000,
};

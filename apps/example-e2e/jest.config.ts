export default {
  displayName: 'example-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // Generates the example API's libraries into .generated/ before any test imports them.
  globalSetup: '<rootDir>/test/generate-libraries.ts',
  testEnvironment: '<rootDir>/test/jsdom-with-node-fetch.js',
  testPathIgnorePatterns: ['/node_modules/', '/.generated/'],
  testTimeout: 60_000,
};

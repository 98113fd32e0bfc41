export default {
  displayName: 'example-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testEnvironment: '<rootDir>/test/jsdom-with-node-fetch.js',
  testTimeout: 60_000,
};

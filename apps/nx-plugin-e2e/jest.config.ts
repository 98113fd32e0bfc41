export default {
  displayName: 'nx-plugin-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // One workspace per test file, built once, walked through in order: the steps depend on each other.
  testTimeout: 10 * 60_000,
  // `npm run pack` once for every test file (they install the same tarballs)
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};

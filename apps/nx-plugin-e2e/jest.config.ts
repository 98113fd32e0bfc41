export default {
  displayName: 'nx-plugin-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // One workspace, built once, walked through in order: the steps depend on each other.
  testTimeout: 10 * 60_000,
};

export default {
  displayName: 'sync-patterns',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testTimeout: 120_000,
};

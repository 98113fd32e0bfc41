export default {
  displayName: 'example-api',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testTimeout: 60_000,
};

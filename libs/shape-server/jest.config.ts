export default {
  displayName: 'shape-server',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testTimeout: 60_000,
};

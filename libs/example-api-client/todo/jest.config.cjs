// Generated once by sync-patterns; yours to change. Type errors are the typecheck target's job,
// so ts-jest only transpiles (isolatedModules in tsconfig.json).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'example-api-todo',
  testEnvironment: 'node',
  // .js too (allowJs): TanStack DB (live mode) and MSW (the testing entry) require ESM-only packages,
  // which jest's CommonJS runtime cannot load untransformed
  transform: {
    '^.+\\.m?[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  transformIgnorePatterns: [
    'node_modules/(?!(?:.*node_modules/)?(?:fractional-indexing|rettime|until-async|@open-draft/deferred-promise)/)',
  ],
  moduleNameMapper: {
    '^@sync-patterns\\/example-api-core$': '<rootDir>/../core/src/index.ts',
  },
  // live mode: @electric-sql/client leaves a 60 s timer (its throttled up-to-date tracker) that no
  // API can clear; without this jest would wait for it after the tests have finished
  forceExit: true,
};

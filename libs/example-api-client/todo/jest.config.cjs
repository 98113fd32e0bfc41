// Generated once by sync-patterns; yours to change. Type errors are the typecheck target's job,
// so ts-jest only transpiles (isolatedModules in tsconfig.json).
/** @type {import('jest').Config} */
module.exports = {
  displayName: "example-api-todo",
  testEnvironment: "node",
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }],
  },
  moduleNameMapper: {
    "^@sync-patterns\\/example-api-core$": "<rootDir>/../core/src/index.ts",
  },
};

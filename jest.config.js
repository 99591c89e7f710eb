/**
 * Two projects: `unit` (rules and platform pieces, next to the code as *.test.ts) and `e2e`
 * (tests/e2e: the real gateway, subgraphs and worker as processes, real Postgres/Redis or the
 * embedded defaults, and an SMTP listener started by the test).
 */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/packages', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/jobs'],
      testMatch: ['**/src/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests'],
      testMatch: ['**/e2e/**/*.test.ts', '**/contract/**/*.test.ts', '**/deploy/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      setupFilesAfterEnv: ['<rootDir>/tests/support/jest-e2e-setup.ts'],
    },
  ],
};

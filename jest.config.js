/** Unit tests sit beside the code (*.spec.ts); black-box tests of the whole graph live in test/ (*.test.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/test', '<rootDir>/scripts'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: {
    // Type checking runs once for the whole project (`npm run typecheck`); here ts-jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};

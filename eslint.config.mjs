// typescript-eslint's recommended rules over the whole TypeScript tree, plus the rules of the rooms
// that a reviewer would otherwise have to remember (the service never imports vscode, never runs a
// process, never opens a socket). Formatting is prettier's job (npm run format).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.e2e/**', '.tmp/**', 'test-results/**', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['server/src/service/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The service is editor-agnostic.' },
            { name: 'vscode-languageserver', message: 'The service returns LSP types only (vscode-languageserver-types).' },
            { name: 'node:child_process', message: 'The service never runs a process.' },
            {
              name: 'node:net',
              importNames: ['connect', 'createConnection', 'createServer', 'Socket', 'Server'],
              message: 'Only the connection tester talks to the network (isIP is fine).',
            },
            { name: 'node:tls', message: 'Only the connection tester talks to the network.' },
            { name: 'node:http', message: 'The service never opens a socket.' },
            { name: 'node:https', message: 'The service never opens a socket.' },
          ],
          patterns: [
            { group: ['**/probe', '**/probe/*'], message: 'The connection tester (server/src/probe) is not part of the pure service.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        document: 'readonly',
        window: 'readonly',
        getComputedStyle: 'readonly',
        NodeFilter: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);

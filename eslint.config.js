// @ts-check
/**
 * Lint rules, including the architecture: one import zone per arrow of the dependency rules in
 * shared/STYLE.md §3.3 (see each room's README.md). Messages name what a room may import.
 *
 * Debt to remove (exceptions are data): none.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** @param {string} target @param {string[]} from @param {string} message */
const zone = (target, from, message) => ({ target, from, message });

const mainRooms = [
  'ingest',
  'kernel',
  'store',
  'capture',
  'report',
  'engine',
  'api',
  'server',
  'app',
];
/** @param {string} room @param {string[]} allowed */
const onlyRooms = (room, allowed) =>
  zone(
    `./main/${room}`,
    mainRooms
      .filter((other) => other !== room && !allowed.includes(other))
      .map((other) => `./main/${other}`),
    `main/${room} may import only ${[...allowed.map((a) => `main/${a}`), 'shared'].join(', ')} (see main/${room}/README.md).`,
  );

export default tseslint.config(
  {
    ignores: [
      '.bench/**',
      'out/**',
      'dist/**',
      'node_modules/**',
      'test/fixtures/**',
      'test-results/**',
      '**/*.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] }),
      ],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'no-warning-comments': ['error', { terms: ['todo', 'fixme', 'xxx'], location: 'start' }],
      'import-x/no-cycle': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']",
          message: 'No focused tests (.only) in the repository.',
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone(
              './shared',
              ['./main', './renderer', './test'],
              'shared/ imports only shared/ (see shared/README.md).',
            ),
            zone(
              './renderer',
              ['./main'],
              'renderer/ never imports main/: it talks to main through the contract (shared/contract).',
            ),
            onlyRooms('kernel', []),
            onlyRooms('store', []),
            onlyRooms('ingest', ['kernel', 'store']),
            onlyRooms('capture', ['ingest']),
            onlyRooms('report', ['store']),
            onlyRooms('engine', ['ingest', 'kernel', 'store', 'capture', 'report']),
            onlyRooms('api', ['engine']),
            onlyRooms('server', ['api']),
            onlyRooms('app', ['api', 'engine']),
            zone(
              './main/cli',
              mainRooms
                .filter((r) => r !== 'engine' && r !== 'api' && r !== 'server')
                .map((r) => `./main/${r}`),
              'main/cli may import only main/engine, main/api, main/server and shared (see main/cli/README.md).',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'os',
                'child_process',
                'worker_threads',
                'stream',
                'zlib',
                'crypto',
                'http',
                'net',
              ],
              message: 'No Node built-ins in shared/ or renderer/: they run in the browser too.',
            },
            { group: ['electron'], message: 'Only main/app may import electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron'],
              message:
                'Only main/app may import electron, so the engine runs and is tested under plain Node.',
            },
            {
              group: [
                '../store/*',
                '../kernel/*',
                '../ingest/*',
                '../capture/*',
                '../engine/*',
                '../api/*',
                '../server/*',
                '!../*/index',
              ],
              message:
                "Import another room through its index.ts (e.g. '../store'), not its internal files.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.ts', '*.config.ts', 'main/cli.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // expect.objectContaining() and friends are typed `any` by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);

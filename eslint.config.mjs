// ESLint for the whole workspace (`npm run lint`): typescript-eslint with type information, for
// the rules that catch bugs a compiler lets through (an unawaited promise, a promise where a
// callback's return is ignored, an `any` that switches the checker off, dead variables).
// Formatting is Prettier's job (`npm run format`); eslint-config-prettier switches off every
// stylistic rule that would fight it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The rules that report every use of an `any` value (not its declaration: that is no-explicit-any). */
const UNSAFE_ANY_OFF = {
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
};

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/out-tsc/',
    '**/coverage/',
    '**/test-output/',
    '.nx/',
    '.test-results/',
    '.kubeloop/',
    'bench/results/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          // Files no tsconfig includes (each project's vitest.config.ts, the root preset, the .mjs
          // scripts and this file) are checked in one program with the workspace's compiler options.
          allowDefaultProject: [
            '*.mjs',
            'vitest-preset.ts',
            '*/vitest.config.ts',
            '*/*/vitest.config.ts',
            '*/*/e2e/vitest.config.ts',
            '*/*.mjs',
            '*/*/bin/*.mjs',
            '*/*/*.cjs',
          ],
          defaultProject: 'tsconfig.base.json',
          // Two or three per operator app (vitest configs, e2e config): the default of 8 and the
          // 24 set before ran out as apps were generated (7 operator apps match 31 files).
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 64,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-unused-vars': 'off', // the typescript-eslint version below replaces it
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // Passing on a caught value (`catch (e) { reject(e) }`, a stored start error) is not the
      // mistake these rules are for; throwing or rejecting with a literal non-Error still is.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // An async function without await is how an implementation of a Promise-returning
      // interface turns its throws into rejections (fakes, RPC handlers): not a mistake here.
      '@typescript-eslint/require-await': 'off',
      // The code marks an index read that cannot miss (`items[0]!` after a length check) with `!`;
      // tsconfig has no noUncheckedIndexedAccess, so this rule would call each one unnecessary.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Tests assert on parsed JSON replies and watch events whose shape is what the test checks
    // at run time: reading them is not unsafe, so the no-unsafe-* family (which reports every use
    // of an `any`) is off here. Declaring an `any` still needs a reason (no-explicit-any stays on).
    files: ['**/*.spec.ts', '**/*.test-helpers.ts', '**/test/**/*.ts'],
    rules: UNSAFE_ANY_OFF,
  },
  {
    // JavaScript has no declared types: every parsed value is `any`, and reading one is all a
    // script can do. The promise rules still apply.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    rules: UNSAFE_ANY_OFF,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }, // require() is how CommonJS imports
  },
  prettier,
);

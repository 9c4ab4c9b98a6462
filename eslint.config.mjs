import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Areas of gateway/src with an index.ts door. */
const GATEWAY_AREAS = ['auth', 'policy', 'enforce', 'audit', 'limits', 'cache', 'tracing', 'log', 'ratelimit'];


export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.pactum/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Doors that hold: an area of the gateway is entered through its index.ts only. Inside an area
  // files import each other relatively ('./x', never '../<area>/x'); tests, benches and
  // measurement scripts may reach the internals they exercise.
  {
    files: ['gateway/src/**/*.ts'],
    ignores: ['**/__tests__/**', '**/bench/**', '**/measure/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: GATEWAY_AREAS.map((area) => ({ group: [`**/${area}/*`], message: `enter ${area}/ through its index.ts, its only public door` })) },
      ],
    },
  },
  {
    files: ['gateway/src/auth/**', 'gateway/src/policy/**', 'gateway/src/enforce/**', 'gateway/src/audit/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': true, 'ts-ignore': true }],
    },
  },
);

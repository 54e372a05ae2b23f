// ESLint flat config: typescript-eslint's recommended rules (no type-aware rules, so it stays fast)
// plus the layering rules from DEVELOPERS.md, enforced per folder with no-restricted-imports.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'zlib', 'child_process', 'net', 'http', 'https', 'url', 'util', 'stream', 'worker_threads', 'events', 'buffer'];

export const layering = [
  {
    files: ['dissectors/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^node:', message: 'dissectors/ is pure TypeScript: no Node built-ins (it runs in the engine, the tests and the browser alike).' },
          { regex: `^(${NODE_BUILTINS.join('|')})(/.*)?$`, message: 'dissectors/ is pure TypeScript: no Node built-ins.' },
          { regex: '^electron$', message: 'dissectors/ must not import electron.' },
          { regex: '^(\\.\\./)+(electron|renderer|api|bench|scripts|test)(/|$)', message: 'dissectors/ imports nothing outside dissectors/.' },
          { regex: '^(?!\\.|postal-mime$)', message: 'dissectors/ imports no npm packages (only postal-mime is allowed).' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^electron$', message: 'Only electron/main and electron/preload may import electron.' },
          { regex: '^(\\.\\./)+renderer(/|$)', message: 'electron/ never imports renderer/.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    // The Vite config runs in Node at build time; it is not part of the page.
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(node:|electron$)', message: 'renderer/ reaches the engine only through api/engine-api.ts.' },
          { regex: '^(\\.\\./)+electron(/|$)', message: 'renderer/ never imports electron/.' },
        ],
      }],
      'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Payload bytes are never rendered as HTML.' }],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'test/lint/fixtures/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  ...layering,
);

// ESLint flat config. typescript-eslint's `recommended` (not `recommendedTypeChecked`, too slow on two cores)
// plus the project's rules. Formatting is prettier's job, not ESLint's.
import js from "@eslint/js"
import { defineConfig, globalIgnores } from "eslint/config"
import tseslint from "typescript-eslint"

const scriptExtensions = "{ts,tsx,mts,cts,js,mjs,cjs}"

const lintedFiles = [
  `packages/**/*.${scriptExtensions}`,
  `apps/**/*.${scriptExtensions}`,
  `scripts/**/*.${scriptExtensions}`,
  `test/**/*.${scriptExtensions}`,
  "*.{ts,mts,cts}",
]

const productionFiles = [`packages/*/src/**/*.${scriptExtensions}`, `apps/*/src/**/*.${scriptExtensions}`]

const testFiles = [`**/test/**/*.${scriptExtensions}`, `**/*.test.${scriptExtensions}`]

const rootConfigFiles = ["*.{js,mjs,cjs}", ".*.{js,mjs,cjs}"]

// Without the `globals` package (not a direct dependency): the Node globals plain JS files use.
const nodeGlobals = {
  Buffer: "readonly",
  URL: "readonly",
  clearInterval: "readonly",
  clearTimeout: "readonly",
  console: "readonly",
  process: "readonly",
  setInterval: "readonly",
  setTimeout: "readonly",
  structuredClone: "readonly",
}

const commonJsGlobals = {
  __dirname: "readonly",
  __filename: "readonly",
  exports: "writable",
  module: "writable",
  require: "readonly",
}

const unusedVarsOptions = {
  args: "after-used",
  argsIgnorePattern: "^_",
  varsIgnorePattern: "^_",
  caughtErrorsIgnorePattern: "^_",
  destructuredArrayIgnorePattern: "^_",
  ignoreRestSiblings: true,
}

export default defineConfig([
  globalIgnores([
    "**/node_modules/",
    "**/dist/",
    "**/.data/",
    "**/coverage/",
    "apps/console/dist/",
    // rule-breaking on purpose, for test/boundaries.test.ts
    "test/fixtures/",
  ]),
  {
    files: lintedFiles,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: nodeGlobals },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Effect.gen(function* () { ... }) often has nothing to yield
      "require-yield": "off",
      // the typescript-eslint rule covers JS files here too (they go through its parser)
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": ["error", unusedVarsOptions],
      "@typescript-eslint/ban-ts-comment": [
        "error",
        { "ts-ignore": true, "ts-nocheck": true, "ts-check": false, "ts-expect-error": "allow-with-description" },
      ],
      // Effect's idiom `interface Foo extends Schema.Schema.Type<typeof Foo> {}` names a schema's type
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      // Effect's idiom `export declare namespace Foo { ... }` groups a module's types
      "@typescript-eslint/no-namespace": ["error", { allowDeclarations: true }],
    },
  },
  {
    files: productionFiles,
    rules: { "@typescript-eslint/no-explicit-any": "error" },
  },
  {
    files: testFiles,
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: rootConfigFiles,
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: nodeGlobals },
    rules: { "no-unused-vars": ["error", unusedVarsOptions] },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...nodeGlobals, ...commonJsGlobals } },
  },
])

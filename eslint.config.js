import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "app/generated/**", ".data/**", "node_modules/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/only-throw-error": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  // The back office's boundary: code outside app/backoffice/ reaches it only through its entry
  // module, backoffice.server.ts (functions, not tables), so that an external ERP could take its
  // place. Within app/ a path naming backoffice/ is app/backoffice/; elsewhere it is app/backoffice/.
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/backoffice/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [backOfficeImports("(^|/)backoffice/")] }] },
  },
  {
    files: ["**/*.{ts,tsx}"],
    ignores: ["app/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [backOfficeImports("(^|/)app/backoffice/")] }] },
  },
  // ...and never touches its tables: no `db.boItem...`, no `Prisma.Bo...` or `Bo...` model types
  // from the generated client, no raw SQL naming a "Bo..." table. Exempt: the tests, which seed
  // the back office's tables and read rows back to check them, and scripts/ (the benchmarks and
  // the fault suite), which watch the back office's tables from outside the app to measure it.
  {
    files: ["**/*.{ts,tsx}"],
    ignores: ["app/backoffice/**", "test/**", "scripts/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...[
          "MemberExpression[property.name=/^bo[A-Z]/]",
          "MemberExpression[computed=true][property.value=/^bo[A-Z]/]",
          "ObjectPattern > Property[key.name=/^bo[A-Z]/]",
          "TSQualifiedName[right.name=/^Bo[A-Z]/]",
          "ImportDeclaration[source.value=/generated.prisma/] > ImportSpecifier[imported.name=/^Bo[A-Z]/]",
          'TemplateElement[value.raw=/"Bo[A-Z]/]',
          'Literal[value=/"Bo[A-Z]/]',
        ].map((selector) => ({
          selector,
          message:
            "The back office's tables are its own: read and write them through app/backoffice/backoffice.server.ts (add a function there).",
        })),
      ],
    },
  },
);

function backOfficeImports(prefix) {
  return {
    regex: `${prefix}(?!backoffice\\.server$)[^/]+$`,
    message: "Import the back office through its entry module, app/backoffice/backoffice.server.ts.",
  };
}

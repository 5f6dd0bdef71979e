/** The app credentials the tests run with (set in the environment by per-file.ts). */
export const TEST_API_KEY = "test-api-key";
export const TEST_API_SECRET = "test-api-secret";

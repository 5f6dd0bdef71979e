import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildExtensions, EXTENSIONS_DIR, readExtensionConfigs } from "../../scripts/lib/extensions";

/**
 * The admin UI extensions as Shopify CLI would take them: Shopify cannot be reached from here,
 * so `shopify app deploy` never reads these files in CI. This checks each shopify.extension.toml
 * for what Shopify's configuration reference requires of an admin UI extension, and bundles each
 * module as the CLI would.
 */

const TARGETS_DIR = path.resolve(
  import.meta.dirname,
  "../../node_modules/@shopify/ui-extensions/build/ts/surfaces/admin/targets",
);

describe("each extension's shopify.extension.toml", () => {
  const configs = readExtensionConfigs();

  it("are the order block and the product block, on the order and product details pages", () => {
    expect(
      configs.map((config) => [
        config.folder,
        config.extensions.map((extension) => extension.targeting.map((target) => target.target)),
      ]),
    ).toEqual([
      ["order-block", [["admin.order-details.block.render"]]],
      ["product-block", [["admin.product-details.block.render"]]],
    ]);
  });

  it("has the keys Shopify requires: an API version with Preact and Polaris web components, a ui_extension with handle, name and one target", () => {
    const handles = new Set<string>();
    for (const config of configs) {
      // 2025-10 is the first admin extension API of Preact and web components; the package is 2026-07's.
      expect(config.apiVersion, config.folder).toMatch(/^\d{4}-(01|04|07|10)$/);
      expect(String(config.apiVersion) >= "2025-10", config.folder).toBe(true);
      expect(config.extensions, config.folder).toHaveLength(1);
      for (const extension of config.extensions) {
        expect(extension.type, config.folder).toBe("ui_extension");
        expect(extension.handle, config.folder).toMatch(/^[a-z0-9][a-z0-9-]{0,29}$/);
        expect(typeof extension.name === "string" && extension.name.length > 0, config.folder).toBe(true);
        expect(String(extension.name).length, config.folder).toBeLessThanOrEqual(30);
        handles.add(String(extension.handle));
        // An admin block has exactly one target.
        expect(extension.targeting, config.folder).toHaveLength(1);
      }
    }
    expect(handles.size).toBe(configs.length);
  });

  it("names targets @shopify/ui-extensions knows, and modules that exist, typed for their target", () => {
    for (const config of configs)
      for (const extension of config.extensions)
        for (const { target, module } of extension.targeting) {
          expect(existsSync(path.join(TARGETS_DIR, `${target}.d.ts`)), target).toBe(true);
          expect(existsSync(path.join(EXTENSIONS_DIR, config.folder, module)), module).toBe(true);
          // The `shopify` global of the module is the target's API (shopify.d.ts, as the CLI writes it).
          const types = readFileSync(path.join(EXTENSIONS_DIR, config.folder, "shopify.d.ts"), "utf8");
          expect(types).toContain(`declare module "${module}"`);
          expect(types).toContain(`import("@shopify/ui-extensions/${target}").Api`);
        }
  });
});

describe("npm run build:extensions", () => {
  it("bundles each module with Preact and none of the app's server code, within Shopify's 64 KB", async () => {
    const built = await buildExtensions(path.join(tmpdir(), "bos-extensions"), { write: false });

    expect(built.map((module) => [module.handle, module.target])).toEqual([
      ["back-office-order", "admin.order-details.block.render"],
      ["back-office-product", "admin.product-details.block.render"],
    ]);
    for (const module of built) {
      expect(module.bytes, module.target).toBeLessThan(64 * 1024);
      expect(
        module.inputs.some((input) => input.includes("node_modules/preact/")),
        module.target,
      ).toBe(true);
      // The blocks import the API's types only: no app module, no React, no Node.
      expect(
        module.inputs.filter((input) => /(^|\/)app\/|node_modules\/react(-dom)?\/|^node:/.test(input)),
        module.target,
      ).toEqual([]);
    }
  });
});

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { parse } from "smol-toml";

/**
 * The admin UI extensions in extensions/ as Shopify CLI would see them: each folder with a
 * shopify.extension.toml, its extensions and their targets' modules; and each module bundled
 * the way the CLI bundles one (esbuild, ES module for the browser, Preact's JSX), so that a
 * module that does not build, or pulls in what it must not (the app's server code, React),
 * fails here rather than at `shopify app deploy`.
 */

export const EXTENSIONS_DIR = path.resolve(import.meta.dirname, "../../extensions");

export interface ExtensionTarget {
  target: string;
  module: string;
}

export interface ExtensionConfig {
  /** The folder under extensions/. */
  folder: string;
  apiVersion: unknown;
  extensions: { type: unknown; handle: unknown; name: unknown; targeting: ExtensionTarget[] }[];
}

/**
 * extensions/shared holds code the blocks share (bundled into each); it is no extension and
 * has no TOML, so Shopify CLI, which looks for a shopify.extension.toml in each folder, passes it by.
 */
export const SHARED_FOLDER = "shared";

/** Every extension folder's configuration, as its TOML states it. */
export function readExtensionConfigs(root = EXTENSIONS_DIR): ExtensionConfig[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== SHARED_FOLDER)
    .map((entry) => {
      const toml = parse(readFileSync(path.join(root, entry.name, "shopify.extension.toml"), "utf8")) as {
        api_version?: unknown;
        extensions?: { type?: unknown; handle?: unknown; name?: unknown; targeting?: ExtensionTarget[] }[];
      };
      return {
        folder: entry.name,
        apiVersion: toml.api_version,
        extensions: (toml.extensions ?? []).map((extension) => ({
          type: extension.type,
          handle: extension.handle,
          name: extension.name,
          targeting: extension.targeting ?? [],
        })),
      };
    });
}

export interface BuiltModule {
  handle: string;
  target: string;
  /** Where the bundle was written, relative to the project. */
  outfile: string;
  bytes: number;
  /** The source files bundled into it, relative to the project. */
  inputs: string[];
}

/** Bundles every target's module into `outdir` (a folder git ignores), one file per target. */
export async function buildExtensions(
  outdir: string,
  options: { write?: boolean } = {},
): Promise<BuiltModule[]> {
  const project = path.resolve(EXTENSIONS_DIR, "..");
  const built: BuiltModule[] = [];
  for (const config of readExtensionConfigs())
    for (const extension of config.extensions)
      for (const { target, module } of extension.targeting) {
        const outfile = path.join(outdir, String(extension.handle), `${target}.js`);
        const result = await build({
          entryPoints: [path.join(EXTENSIONS_DIR, config.folder, module)],
          outfile,
          bundle: true,
          format: "esm",
          platform: "browser",
          target: "es2020",
          minify: true,
          jsx: "automatic",
          jsxImportSource: "preact",
          legalComments: "none",
          metafile: true,
          write: options.write ?? true,
          logLevel: "silent",
        });
        const output = Object.values(result.metafile.outputs)[0]!;
        built.push({
          handle: String(extension.handle),
          target,
          outfile: path.relative(project, outfile),
          bytes: output.bytes,
          inputs: Object.keys(result.metafile.inputs),
        });
      }
  return built;
}

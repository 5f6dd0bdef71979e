// `npm run build:extensions`: bundles each admin UI extension's module (extensions/*) with
// esbuild as Shopify CLI would, into build/extensions/<handle>/<target>.js, and prints the sizes.
// Shopify CLI cannot reach Shopify from here, so this is how the blocks are known to build.
import path from "node:path";
import { buildExtensions } from "./lib/extensions";

const outdir = path.resolve(import.meta.dirname, "../build/extensions");
for (const module of await buildExtensions(outdir))
  process.stdout.write(`${module.outfile}  ${(module.bytes / 1024).toFixed(1)} KiB  (${module.target})\n`);

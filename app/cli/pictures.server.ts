import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { findItem, picturesOfItems, type ItemPicture } from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { withFollowUp } from "../admin/follow-up.server";
import { actOnPictures, pictureSection, type PictureInput } from "../admin/pictures.server";
import { Refusal } from "../admin/refusal.server";
import { findShop } from "../shops/shops.server";
import { requireShop, table, UsageError, type CliIo, type Command, type Values } from "./format.server";

/**
 * The CLI's item pictures: `pictures <item no>` lists them as the Items page's section does;
 * `picture add|replace|move|remove` changes them as the page does (the same service, so the
 * images sync follows the same way). A file is read as a stream, never whole.
 */

const SUBCOMMANDS = "add, replace, move, remove";

const json = (value: unknown) => JSON.stringify(value, null, 2);

async function readable(file: string): Promise<string> {
  const full = path.resolve(file);
  const info = await stat(full).catch(() => null);
  if (!info?.isFile()) throw new Refusal(`no file ${file}`, 404);
  return full;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * The picture a command names: its position ("2"), its id, or the file it was added from (by
 * its bytes, else by its name), among the item's pictures (of the variant, with --variant).
 */
async function namedPicture(
  db: Db,
  shop: Shop,
  itemNo: string,
  name: string,
  variantCode: string | null,
): Promise<ItemPicture> {
  if (!(await findItem(db, shop.id, itemNo))) throw new Refusal(`no item ${itemNo} in ${shop.domain}`, 404);
  const pictures = ((await picturesOfItems(db, shop.id, [itemNo])).get(itemNo) ?? []).filter(
    (picture) => variantCode === null || picture.variantCode === variantCode,
  );
  const found =
    pictures.find((picture) => /^\d+$/.test(name) && picture.position === Number(name)) ??
    pictures.find((picture) => picture.id === name) ??
    (await (async () => {
      const file = await stat(name).catch(() => null);
      if (!file?.isFile()) return undefined;
      const hash = await sha256Of(name);
      return pictures.find((picture) => picture.contentHash === hash);
    })()) ??
    pictures.find((picture) => picture.filename === path.basename(name));
  if (!found)
    throw new Refusal(
      `${itemNo} has no picture ${name}${variantCode ? ` of variant ${variantCode}` : ""} (name it by its position, its id, or the file it was added from)`,
      404,
    );
  return found;
}

function positionOf(values: Values): number | undefined {
  const position = values.position as string | undefined;
  if (position === undefined) return undefined;
  if (!/^\d{1,3}$/.test(position) || Number(position) < 1)
    throw new UsageError("--position is a place among the item's pictures: 1 for the first");
  return Number(position);
}

async function inputOf(
  db: Db,
  shop: Shop,
  values: Values,
  [sub, itemNo, ...rest]: string[],
): Promise<PictureInput> {
  const variantCode = (values.variant as string | undefined) ?? null;
  const wants = (count: number, words: string) => {
    if (!itemNo || rest.length !== count) throw new UsageError(`picture ${sub} takes ${words}`);
  };
  switch (sub) {
    case "add": {
      wants(1, "<item no> <file>");
      const position = positionOf(values);
      const file = await readable(rest[0]!);
      return {
        intent: "addPicture",
        itemNo: itemNo!,
        variantCode,
        position,
        filename: path.basename(file),
        content: createReadStream(file),
      };
    }
    case "replace": {
      wants(2, "<item no> <picture> <file>");
      const picture = await namedPicture(db, shop, itemNo!, rest[0]!, variantCode);
      const file = await readable(rest[1]!);
      return {
        intent: "replacePicture",
        pictureId: picture.id,
        filename: path.basename(file),
        content: createReadStream(file),
      };
    }
    case "move": {
      wants(1, "<item no> <picture> --position <n>");
      const position = positionOf(values);
      if (position === undefined) throw new UsageError("picture move needs --position <n>");
      const picture = await namedPicture(db, shop, itemNo!, rest[0]!, variantCode);
      return { intent: "movePicture", pictureId: picture.id, position };
    }
    case "remove": {
      wants(1, "<item no> <picture or file>");
      const picture = await namedPicture(db, shop, itemNo!, rest[0]!, variantCode);
      return { intent: "removePicture", pictureId: picture.id };
    }
    default:
      throw new UsageError(`picture needs one of ${SUBCOMMANDS}`);
  }
}

/** Refusals (a file that is not an image, an unknown item...) as the CLI's error line. */
async function refusedAsError(io: CliIo, run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    io.err(`error: ${error.message}`);
    return 1;
  }
}

export const pictureCommand: Command = {
  positionals: "any",
  options: {
    shop: { type: "string" },
    variant: { type: "string" },
    position: { type: "string" },
    json: { type: "boolean" },
  },
  async run(db, values, io, positionals) {
    if (positionals[0] && !SUBCOMMANDS.split(", ").includes(positionals[0]))
      throw new UsageError(`picture needs one of ${SUBCOMMANDS}`);
    const shop = await findShop(db, requireShop(values));
    return refusedAsError(io, async () => {
      const outcome = await actOnPictures(db, shop, await inputOf(db, shop, values, positionals));
      if (values.json) io.out(json(outcome));
      else io.out(withFollowUp(outcome));
    });
  },
};

export const picturesCommand: Command = {
  positionals: 1,
  options: { shop: { type: "string" }, json: { type: "boolean" } },
  async run(db, values, io, [itemNo]) {
    const shop = await findShop(db, requireShop(values));
    return refusedAsError(io, async () => {
      const section = await pictureSection(db, shop, itemNo!);
      if (values.json) io.out(json(section.pictures));
      else
        table(
          section.pictures.map((picture) => ({
            position: picture.position,
            variant: picture.variantCode ?? "",
            file: picture.filename,
            type: picture.contentType,
            size: picture.size,
            sha256: picture.contentHash.slice(0, 12),
            state: picture.stateWords,
            mediaId: picture.mediaId,
            message: picture.message,
          })),
          io,
        );
    });
  },
};

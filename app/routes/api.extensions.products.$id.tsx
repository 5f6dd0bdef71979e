import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bodyOf, extensionAnswer, parseWith } from "../admin/extension-api.server";
import {
  actOnProductBlock,
  productBlock,
  productBlockAction,
  shopifyProductId,
} from "../admin/product-block.server";
import prisma from "../db.server";

/**
 * The product details block's API (extensions/product-block): GET where the product and its
 * variants stand in the back office; POST (JSON) its actions, Map, Create item and Import again.
 * `$id` is Shopify's product id, the number at the end of the product's gid.
 */

export const loader = async ({ request, params }: LoaderFunctionArgs) =>
  extensionAnswer(request, (shop) => productBlock(prisma, shop, parseWith(shopifyProductId, params.id)));

export const action = async ({ request, params }: ActionFunctionArgs) =>
  extensionAnswer(request, async (shop) => {
    const id = parseWith(shopifyProductId, params.id);
    return actOnProductBlock(prisma, shop, id, parseWith(productBlockAction, await bodyOf(request)));
  });

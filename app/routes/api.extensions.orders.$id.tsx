import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bodyOf, extensionAnswer, parseWith } from "../admin/extension-api.server";
import { actOnOrderBlock, orderBlock, orderBlockAction, shopifyOrderId } from "../admin/order-block.server";
import prisma from "../db.server";

/**
 * The order details block's API (extensions/order-block): GET where the order stands in the
 * back office; POST (JSON) its actions, Process now and Retry shipment. `$id` is Shopify's
 * order id, the number at the end of the order's gid.
 */

export const loader = async ({ request, params }: LoaderFunctionArgs) =>
  extensionAnswer(request, (shop) => orderBlock(prisma, shop, parseWith(shopifyOrderId, params.id)));

export const action = async ({ request, params }: ActionFunctionArgs) =>
  extensionAnswer(request, async (shop) => {
    const id = parseWith(shopifyOrderId, params.id);
    return actOnOrderBlock(prisma, shop, id, parseWith(orderBlockAction, await bodyOf(request)));
  });

import type { ActionFunctionArgs } from "@remix-run/node";
import { enqueueSync } from "../../jobs/enqueue.server";
import { TerminalError } from "../../jobs/errors.server";
import { receiveWebhook } from "../../webhooks/receive.server";
import { syncOrdersTask } from "./task.server";

/**
 * Order and fulfillment webhooks are a doorbell: whatever the topic, they queue the shop's
 * order sync (one waiting run per shop at most: the job key) in the delivery's transaction.
 * The payload is not trusted as data; the sync reads what changed from the Admin API.
 */
export const orderDoorbell = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, async ({ tx, shop }) => {
    try {
      await enqueueSync(tx, syncOrdersTask, { shop, trigger: "webhook", jobKey: true });
    } catch (error) {
      // Recorded; nothing to sync for a shop we do not serve (unknown or uninstalled).
      if (!(error instanceof TerminalError)) throw error;
    }
  });

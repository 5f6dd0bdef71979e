import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveDoorbell } from "../../webhooks/receive.server";
import { syncOrdersTask } from "./task.server";

/**
 * Order and fulfillment webhooks are a doorbell: whatever the topic, they queue the shop's
 * order sync (one waiting run per shop at most: the job key) in the delivery's transaction.
 * The payload is not trusted as data; the sync reads what changed from the Admin API.
 */
export const orderDoorbell = async ({ request }: ActionFunctionArgs) =>
  receiveDoorbell(request, syncOrdersTask);

import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveDoorbell } from "../webhooks/receive.server";
import { doorbellTask } from "./index.server";

/**
 * The action of a doorbell webhook route: the delivery is verified and recorded, and the run
 * of the task whose manifest lists the topic is queued (one waiting run per shop at most: the
 * job key) in the same transaction. The payload is not trusted as data; the task reads what
 * changed from the Admin API. A route file is `export const action = doorbell("<topic>")`.
 */
export function doorbell(topic: string) {
  const task = doorbellTask(topic);
  if (!task) throw new Error(`no task's manifest rings on ${topic}`);
  return async ({ request }: ActionFunctionArgs) => receiveDoorbell(request, task);
}

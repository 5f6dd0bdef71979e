import { orderDoorbell } from "../sync/orders/webhook.server";

export const action = orderDoorbell;

import { doorbell } from "../sync/doorbell.server";

export const action = doorbell("companies/create");

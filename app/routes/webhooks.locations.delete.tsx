import { doorbell } from "../sync/doorbell.server";

export const action = doorbell("locations/delete");

import { doorbell } from "../sync/doorbell.server";

export const action = doorbell("company_locations/delete");

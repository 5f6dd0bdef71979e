import type { OrderPaymentTerms, OrderRecord } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { iso, type FieldMap, type ResolverContext } from "./context.server";
import { moneyV2 } from "./orders-line-views.server";
import { orderTotals } from "./orders-money.server";

/**
 * Payment terms: the `paymentTermsTemplates` query, the template a company location's
 * buyerExperienceConfiguration names, and the PaymentTerms of an order placed for such a location
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/PaymentTermsTemplate, .../PaymentTerms,
 * .../PaymentSchedule). The templates are the same for every shop ("The list of payment terms
 * templates eligible for all shops and users"); their ids, names, descriptions and order are
 * those a live shop answers (a public capture of `paymentTermsTemplates`, not shown on
 * shopify.dev). A NET schedule is issued when the order is processed and due `dueInDays` later
 * (PaymentScheduleInput: issuedAt "must be provided for net type payment terms"); RECEIPT is due
 * when issued; FULFILLMENT and FIXED have no due date until fulfilled / given one.
 */

export interface PaymentTermsTemplate {
  id: number;
  name: string;
  description: string;
  dueInDays: number | null;
  paymentTermsType: "RECEIPT" | "FULFILLMENT" | "NET" | "FIXED";
}

const net = (id: number, days: number): PaymentTermsTemplate => ({
  id,
  name: `Net ${days}`,
  description: `Within ${days} days`,
  dueInDays: days,
  paymentTermsType: "NET",
});

export const PAYMENT_TERMS_TEMPLATES: readonly PaymentTermsTemplate[] = [
  {
    id: 1,
    name: "Due on receipt",
    description: "Due on receipt",
    dueInDays: null,
    paymentTermsType: "RECEIPT",
  },
  {
    id: 9,
    name: "Due on fulfillment",
    description: "Due on fulfillment",
    dueInDays: null,
    paymentTermsType: "FULFILLMENT",
  },
  net(2, 7),
  net(3, 15),
  net(4, 30),
  net(8, 45),
  net(5, 60),
  net(6, 90),
  { id: 7, name: "Fixed", description: "Fixed date", dueInDays: null, paymentTermsType: "FIXED" },
];

export function paymentTermsTemplate(id: number | null | undefined): PaymentTermsTemplate | undefined {
  return PAYMENT_TERMS_TEMPLATES.find((template) => template.id === id);
}

/** A template's numeric id from its GID, or null when it names none. */
export function paymentTermsTemplateId(value: unknown): number | null {
  const id = parseGid(value, "PaymentTermsTemplate");
  return paymentTermsTemplate(id) ? id : null;
}

export function paymentTermsTemplateView(template: PaymentTermsTemplate) {
  return {
    __typename: "PaymentTermsTemplate",
    id: gid("PaymentTermsTemplate", template.id),
    name: template.name,
    translatedName: template.name,
    description: template.description,
    dueInDays: template.dueInDays,
    paymentTermsType: template.paymentTermsType,
  };
}

const DAY_MS = 86_400_000;

/** The payment terms of an order placed for a location with `templateId` (not stored). */
export function newOrderPaymentTerms(
  shop: ShopState,
  templateId: number,
  processedAt: Date,
): OrderPaymentTerms | null {
  const template = paymentTermsTemplate(templateId);
  if (!template) return null;
  const issued = template.paymentTermsType === "NET" || template.paymentTermsType === "RECEIPT";
  return {
    id: shop.newId(),
    scheduleId: shop.newId(),
    templateId,
    issuedAt: issued ? processedAt : null,
    dueAt:
      template.paymentTermsType === "NET"
        ? new Date(processedAt.getTime() + template.dueInDays! * DAY_MS)
        : template.paymentTermsType === "RECEIPT"
          ? processedAt
          : null,
  };
}

/** When the order's balance was settled: its last successful payment, once nothing is outstanding. */
function completedAt(order: OrderRecord): Date | null {
  if (orderTotals(order).outstanding > 0) return null;
  const paid = order.transactions.filter(
    (t) => t.status === "SUCCESS" && (t.kind === "SALE" || t.kind === "CAPTURE"),
  );
  return paid.length > 0 ? paid[paid.length - 1]!.processedAt : null;
}

export function paymentTermsView(
  order: OrderRecord,
  terms: OrderPaymentTerms,
  orderView: () => unknown,
): Record<string, unknown> {
  const template = paymentTermsTemplate(terms.templateId)!;
  const done = completedAt(order);
  const isDue = (context: ResolverContext) =>
    done === null && terms.dueAt !== null && context.now().getTime() >= terms.dueAt.getTime();
  const outstanding = () => moneyV2(Math.max(0, orderTotals(order).outstanding), order.currencyCode);
  const self: Record<string, unknown> = {
    __typename: "PaymentTerms",
    id: gid("PaymentTerms", terms.id),
    paymentTermsName: template.name,
    translatedName: template.name,
    paymentTermsType: template.paymentTermsType,
    dueInDays: template.dueInDays,
    due: (_args: unknown, context: ResolverContext) => isDue(context),
    overdue: (_args: unknown, context: ResolverContext) => isDue(context),
    order: orderView,
    draftOrder: null,
  };
  const schedule = {
    __typename: "PaymentSchedule",
    id: gid("PaymentSchedule", terms.scheduleId),
    issuedAt: iso(terms.issuedAt),
    dueAt: iso(terms.dueAt),
    completedAt: iso(done),
    due: (_args: unknown, context: ResolverContext) => isDue(context),
    balanceDue: outstanding,
    totalBalance: outstanding,
    amount: () => moneyV2(orderTotals(order).currentTotal, order.currencyCode),
    paymentTerms: () => self,
  };
  self.paymentSchedules = (args: ConnectionArgs) =>
    connection(
      [schedule],
      args,
      () => terms.scheduleId,
      (s) => s,
    );
  return self;
}

export const paymentTermsQueries: FieldMap = {
  paymentTermsTemplates: (args: { paymentTermsType?: string | null }) =>
    PAYMENT_TERMS_TEMPLATES.filter(
      (template) => !args.paymentTermsType || template.paymentTermsType === args.paymentTermsType,
    ).map(paymentTermsTemplateView),
};

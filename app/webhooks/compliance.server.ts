import { z } from "zod";

/** Payloads of the mandatory privacy-law webhooks (shapes from Shopify's compliance docs). */

const id = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((value) => BigInt(value));

export const customerRedactPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  orders_to_redact: z.array(id).default([]),
});

export const customerDataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  data_request: z.object({ id }),
});

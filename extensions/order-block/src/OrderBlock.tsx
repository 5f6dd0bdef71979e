/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { OrderBlock as Order, OrderBlockShipment } from "../../../app/admin/order-block.server";
import { selectedId, useAppRecord } from "../../shared/app-record";

/**
 * The order details block: where this order stands in the back office, from the app's
 * /api/extensions/orders/:id. Shopify resolves the relative address against the app's URL and
 * adds the session token; the app answers with the services its Orders and Shipments pages use.
 */

export default () => {
  render(<OrderBlock />, document.body);
};

const BADGE_TONES = {
  waiting: "caution",
  held: "critical",
  cancelled: "neutral",
  processed: "success",
  changed: "warning",
} as const;

const SHIPMENT_TONES = { pending: "info", synced: "success", error: "critical", skipped: "neutral" } as const;

function OrderBlock() {
  const { view, busy, result, act } = useAppRecord<Order>(
    `/api/extensions/orders/${encodeURIComponent(selectedId(shopify.data.selected))}`,
  );

  if (view.kind === "loading")
    return (
      <s-admin-block heading="Back office">
        <s-spinner accessibilityLabel="Loading the order's back-office state" />
      </s-admin-block>
    );
  if (view.kind !== "ready")
    return (
      <s-admin-block
        heading="Back office"
        collapsedSummary={view.kind === "missing" ? "Not imported" : "Not available"}
      >
        <s-banner tone={view.kind === "missing" ? "info" : "critical"}>
          <s-paragraph>{view.message}</s-paragraph>
        </s-banner>
      </s-admin-block>
    );

  const order = view.record;
  return (
    <s-admin-block heading="Back office" collapsedSummary={order.stateWords}>
      <s-stack gap="base">
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-badge tone={BADGE_TONES[order.state]}>{order.stateWords}</s-badge>
          {order.document ? <s-text type="strong">{order.document.title}</s-text> : null}
        </s-stack>
        {result ? (
          <s-banner tone={result.tone}>
            <s-paragraph>{result.text}</s-paragraph>
          </s-banner>
        ) : null}
        {order.reason ? (
          <s-banner tone={order.state === "held" ? "critical" : "warning"} heading="Why it waits">
            <s-paragraph>{order.reason}</s-paragraph>
          </s-banner>
        ) : null}
        {order.changes.length > 0 ? (
          <s-section heading="Changed in Shopify since it was processed">
            <s-unordered-list>
              {order.changes.map((change) => (
                <s-list-item key={change}>{change}</s-list-item>
              ))}
            </s-unordered-list>
            {order.confirmed ? (
              <s-paragraph>
                Confirmed by {order.confirmed.by} at {order.confirmed.at}.
              </s-paragraph>
            ) : (
              <s-paragraph>Confirm or adjust its document on the app's Orders page.</s-paragraph>
            )}
          </s-section>
        ) : null}
        {order.document ? <DocumentSection order={order} /> : null}
        {order.shipments.length > 0 ? (
          <s-section heading="Shipments">
            <s-stack gap="base">
              {order.shipments.map((shipment) => (
                <Shipment
                  key={shipment.id}
                  shipment={shipment}
                  busy={busy}
                  onRetry={() =>
                    act(`retry:${shipment.id}`, { intent: "retryShipment", shipmentId: shipment.id })
                  }
                />
              ))}
            </s-stack>
          </s-section>
        ) : null}
        {order.invoices.length > 0 ? (
          <s-section heading="Posted invoices">
            <s-unordered-list>
              {order.invoices.map((invoice) => (
                <s-list-item key={invoice.no}>
                  {invoice.no}, posted {invoice.postedAt}: {invoice.amountIncludingTax}{" "}
                  {order.order.currencyCode} ({invoice.amount} before tax)
                </s-list-item>
              ))}
            </s-unordered-list>
          </s-section>
        ) : null}
        {order.creditMemos.length > 0 ? (
          <s-section heading="Credit memos">
            <s-unordered-list>
              {order.creditMemos.map((memo) => (
                <s-list-item key={memo.no}>
                  {memo.no}, posted {memo.postedAt}: {memo.amount} {order.order.currencyCode}
                </s-list-item>
              ))}
            </s-unordered-list>
          </s-section>
        ) : null}
        <s-stack direction="inline" gap="base" alignItems="center">
          {order.canProcess ? (
            <s-button
              variant="primary"
              loading={busy === "process"}
              disabled={busy !== null}
              onClick={() => act("process", { intent: "process" })}
            >
              Process now
            </s-button>
          ) : null}
          <s-link href={order.appUrl}>Open in the app</s-link>
        </s-stack>
        <s-text color="subdued">
          Imported {order.order.importedAt}; times in {order.timeZone}.
        </s-text>
      </s-stack>
    </s-admin-block>
  );
}

function DocumentSection({ order }: { order: Order }) {
  const document = order.document!;
  return (
    <s-section heading={document.title}>
      <s-paragraph>
        Status: {document.status}. Customer {document.customerNo}
        {document.customerFoundBy ? `, found ${document.customerFoundBy}` : ""}.
      </s-paragraph>
      {document.onHold ? <s-paragraph>On hold: {document.onHold}</s-paragraph> : null}
    </s-section>
  );
}

function Shipment(props: { shipment: OrderBlockShipment; busy: string | null; onRetry: () => void }) {
  const { shipment, busy } = props;
  const tracking = [shipment.carrier, shipment.trackingNo].filter(Boolean).join(" ");
  return (
    <s-stack gap="small-200">
      <s-stack direction="inline" gap="small" alignItems="center">
        <s-text type="strong">{shipment.no}</s-text>
        <s-badge tone={SHIPMENT_TONES[shipment.syncState]}>{shipment.syncWords}</s-badge>
      </s-stack>
      <s-paragraph>
        Posted {shipment.postedAt}: {shipment.lines.join(", ")}.
      </s-paragraph>
      {tracking ? (
        <s-paragraph>
          Tracking:{" "}
          {shipment.trackingUrl ? (
            <s-link href={shipment.trackingUrl} target="_blank">
              {tracking}
            </s-link>
          ) : (
            tracking
          )}
        </s-paragraph>
      ) : (
        <s-paragraph>No tracking number.</s-paragraph>
      )}
      {shipment.message ? (
        <s-paragraph>
          Shopify answered: {shipment.message}
          {shipment.attempts > 1 ? ` (${shipment.attempts} attempts)` : ""}
        </s-paragraph>
      ) : null}
      {shipment.canRetry ? (
        <s-button loading={busy === `retry:${shipment.id}`} disabled={busy !== null} onClick={props.onRetry}>
          Retry shipment
        </s-button>
      ) : null}
    </s-stack>
  );
}

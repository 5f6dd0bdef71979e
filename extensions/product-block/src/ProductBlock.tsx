/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useState } from "preact/hooks";
import type {
  ProductBlock as Product,
  ProductBlockSync,
  ProductBlockVariant,
} from "../../../app/admin/product-block.server";
import { selectedId, useAppRecord, type Act } from "../../shared/app-record";

/**
 * The product details block: the back-office item each variant of this product maps to, from
 * the app's /api/extensions/products/:id, with the Products page's Map and Create item, and the
 * product's last import and export. Shopify resolves the relative address against the app's URL
 * and adds the session token.
 */

export default () => {
  render(<ProductBlock />, document.body);
};

const SYNC_TONES: Record<string, "success" | "critical" | "caution" | "info" | "neutral"> = {
  imported: "success",
  synced: "success",
  unmapped: "caution",
  error: "critical",
  pending: "info",
};

function ProductBlock() {
  const { view, busy, result, act } = useAppRecord<Product>(
    `/api/extensions/products/${encodeURIComponent(selectedId(shopify.data.selected))}`,
  );

  if (view.kind === "loading")
    return (
      <s-admin-block heading="Back office items">
        <s-spinner accessibilityLabel="Loading the product's back-office items" />
      </s-admin-block>
    );
  if (view.kind !== "ready")
    return (
      <s-admin-block
        heading="Back office items"
        collapsedSummary={view.kind === "missing" ? "Not known" : "Not available"}
      >
        <s-banner tone={view.kind === "missing" ? "info" : "critical"}>
          <s-paragraph>{view.message}</s-paragraph>
        </s-banner>
      </s-admin-block>
    );

  const product = view.record;
  const unmapped = product.variants.filter((variant) => !variant.itemNo).length;
  return (
    <s-admin-block
      heading="Back office items"
      collapsedSummary={unmapped > 0 ? `${unmapped} unmapped` : "Every variant mapped"}
    >
      <s-stack gap="base">
        {result ? (
          <s-banner tone={result.tone}>
            <s-paragraph>{result.text}</s-paragraph>
          </s-banner>
        ) : null}
        {product.variants.length === 0 ? (
          <s-paragraph>None of this product's variants has been on an order or imported yet.</s-paragraph>
        ) : null}
        {product.variants.map((variant) => (
          <Variant key={variant.variantId} variant={variant} busy={busy} act={act} />
        ))}
        {product.import ? (
          <s-section heading="Last import from Shopify">
            <SyncLine sync={product.import} />
            {product.canRetryImport ? (
              <s-button
                loading={busy === "retryImport"}
                disabled={busy !== null}
                onClick={() => act("retryImport", { intent: "retryImport" })}
              >
                Import again
              </s-button>
            ) : null}
          </s-section>
        ) : null}
        {product.exports.length > 0 ? (
          <s-section heading="Export to Shopify">
            <s-stack gap="small">
              {product.exports.map((item) => (
                <s-stack key={item.itemNo} gap="small-200">
                  <s-text type="strong">
                    Item {item.itemNo} ({item.description})
                  </s-text>
                  <SyncLine sync={item} />
                </s-stack>
              ))}
            </s-stack>
          </s-section>
        ) : null}
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-link href={product.appUrl}>Open in the app</s-link>
          <s-text color="subdued">Times in {product.timeZone}.</s-text>
        </s-stack>
      </s-stack>
    </s-admin-block>
  );
}

function SyncLine({ sync }: { sync: ProductBlockSync }) {
  return (
    <s-stack gap="small-200">
      <s-stack direction="inline" gap="small" alignItems="center">
        <s-badge tone={SYNC_TONES[sync.state] ?? "neutral"}>{sync.words}</s-badge>
        {sync.at ? <s-text color="subdued">{sync.at}</s-text> : null}
      </s-stack>
      {sync.message ? (
        <s-paragraph>
          {sync.message}
          {sync.attempts > 1 ? ` (${sync.attempts} attempts)` : ""}
        </s-paragraph>
      ) : null}
    </s-stack>
  );
}

function Variant({ variant, busy, act }: { variant: ProductBlockVariant; busy: string | null; act: Act }) {
  const described = [variant.title, variant.sku ? `SKU ${variant.sku}` : null].filter(Boolean).join(" · ");
  if (variant.itemNo)
    return (
      <s-stack gap="small-200">
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-text type="strong">{described}</s-text>
          <s-badge tone="success">
            Item {variant.itemNo}
            {variant.variantCode ? ` (variant ${variant.variantCode})` : ""}
          </s-badge>
        </s-stack>
        {variant.linkedBy ? <s-text color="subdued">{variant.linkedBy}</s-text> : null}
      </s-stack>
    );
  return <UnmappedVariant variant={variant} described={described} busy={busy} act={act} />;
}

function UnmappedVariant(props: {
  variant: ProductBlockVariant;
  described: string;
  busy: string | null;
  act: Act;
}) {
  const { variant, busy, act } = props;
  const [itemNo, setItemNo] = useState("");
  const [create, setCreate] = useState({
    itemNo: variant.proposal?.itemNo ?? "",
    description: variant.proposal?.description ?? variant.title,
    unitPrice: variant.proposal?.unitPrice ?? "",
  });
  const key = (what: string) => `${what}:${variant.variantId}`;
  const map = (no: string, variantCode?: string | null) =>
    act(key("map"), {
      intent: "map",
      variantId: variant.variantId,
      itemNo: no,
      ...(variantCode ? { variantCode } : {}),
    });
  return (
    <s-section heading={props.described}>
      <s-stack gap="base">
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-badge tone="caution">Unmapped</s-badge>
          {variant.waitingOrders.length > 0 ? (
            <s-text>Orders waiting for it: {variant.waitingOrders.join(", ")}</s-text>
          ) : (
            <s-text color="subdued">No order waits for it.</s-text>
          )}
        </s-stack>
        {variant.candidates.length > 0 ? (
          <s-stack direction="inline" gap="small">
            {variant.candidates.map((candidate) => (
              <s-button
                key={`${candidate.itemNo}/${candidate.variantCode ?? ""}`}
                disabled={busy !== null}
                onClick={() => map(candidate.itemNo, candidate.variantCode)}
              >
                Map to {candidate.itemNo}
                {candidate.variantCode ? ` / ${candidate.variantCode}` : ""} ({candidate.description})
              </s-button>
            ))}
          </s-stack>
        ) : null}
        <s-stack direction="inline" gap="small" alignItems="end">
          <s-text-field
            label="Item number"
            value={itemNo}
            onInput={(event) => setItemNo(event.currentTarget.value ?? "")}
          />
          <s-button
            loading={busy === key("map")}
            disabled={busy !== null || itemNo.trim() === ""}
            onClick={() => map(itemNo.trim())}
          >
            Map
          </s-button>
        </s-stack>
        <s-stack gap="small">
          <s-text-field
            label="New item number (blank: the number series)"
            value={create.itemNo}
            onInput={(event) => setCreate({ ...create, itemNo: event.currentTarget.value ?? "" })}
          />
          <s-text-field
            label="Description"
            value={create.description}
            onInput={(event) => setCreate({ ...create, description: event.currentTarget.value ?? "" })}
          />
          <s-text-field
            label="Unit price"
            value={create.unitPrice}
            onInput={(event) => setCreate({ ...create, unitPrice: event.currentTarget.value ?? "" })}
          />
          <s-button
            loading={busy === key("create")}
            disabled={busy !== null}
            onClick={() =>
              act(key("create"), {
                intent: "create",
                variantId: variant.variantId,
                ...(create.itemNo.trim() ? { itemNo: create.itemNo.trim() } : {}),
                description: create.description,
                unitPrice: create.unitPrice,
              })
            }
          >
            Create item
          </s-button>
        </s-stack>
      </s-stack>
    </s-section>
  );
}

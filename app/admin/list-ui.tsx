import { Banner, InlineStack, Link, Text, TextField } from "@shopify/polaris";
import { useState, type ReactNode } from "react";

/** Small pieces the list pages share. */

/** A text field of a plain HTML form: Polaris fields are controlled, the form reads `name`. */
export function FormField(props: {
  name: string;
  label: string;
  initial: string;
  helpText?: string;
  type?: "text" | "search";
}) {
  const [value, setValue] = useState(props.initial);
  return (
    <TextField
      name={props.name}
      label={props.label}
      value={value}
      onChange={setValue}
      autoComplete="off"
      helpText={props.helpText}
      type={props.type ?? "text"}
    />
  );
}

/**
 * Text that wraps inside an index table, whose cells do not wrap by default: reasons and
 * errors are shown in full, never cut.
 */
export function Wrapped({ children, width = "26rem" }: { children: ReactNode; width?: string }) {
  return (
    <div style={{ whiteSpace: "normal", overflowWrap: "anywhere", maxWidth: width, minWidth: "12rem" }}>
      {children}
    </div>
  );
}

/** What the last action did, or why it was refused. */
export function ResultBanner({
  result,
}: {
  result: { ok: true; message: string } | { ok: false; error: string } | undefined;
}) {
  if (!result) return null;
  return (
    <Banner tone={result.ok ? "success" : "critical"}>
      <p>{result.ok ? result.message : result.error}</p>
    </Banner>
  );
}

/** The orders a record holds up, each opening in Shopify admin. */
export function OrderLinks({ orders }: { orders: { id: string; name: string; adminUrl: string }[] }) {
  if (orders.length === 0)
    return (
      <Text as="span" tone="subdued">
        none waiting
      </Text>
    );
  return (
    <InlineStack gap="200" wrap>
      {orders.map((order) => (
        <Link key={order.id} url={order.adminUrl} target="_top">
          {order.name}
        </Link>
      ))}
    </InlineStack>
  );
}

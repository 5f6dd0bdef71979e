import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";

/** The statuses a list page refuses a request with (app/admin/refusal.server.ts). */
const REFUSALS = new Set([400, 404, 409]);

/**
 * The list pages' error boundary: a refused request (a bad or foreign id in the address)
 * shows its message with a way back; anything else, including Shopify's authentication
 * responses, goes to the app's boundary.
 */
export function ListErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && REFUSALS.has(error.status)) {
    return (
      <Page title="Nothing to show" backAction={{ content: "Home", url: "/app" }}>
        <Layout>
          <Layout.Section>
            <Banner tone="critical" title={error.status === 404 ? "Not found" : "Not possible"}>
              <p>{typeof error.data === "string" ? error.data : error.statusText}</p>
            </Banner>
          </Layout.Section>
        </Layout>
      </Page>
    );
  }
  return boundary.error(error);
}

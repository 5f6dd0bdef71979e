import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

/** Shopify admin opens the app at its root with ?shop=...; the embedded pages live under /app. */
export const loader = ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response("Back Office Sync: open the app from your Shopify admin.", {
    headers: { "Content-Type": "text/plain" },
  });
};

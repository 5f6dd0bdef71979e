import { redirect } from "@remix-run/node";

/**
 * The icon browsers ask for by its old name, whatever the page's `<link rel="icon">` says:
 * sent to the app's SVG icon (public/favicon.svg), instead of a 404 with a stack trace in the
 * server's log.
 */
export const loader = () => redirect("/favicon.svg", 301);

import { render } from "preact";
import { vi } from "vitest";
import { adminExtensionFetch } from "./extensions";

/**
 * A block of extensions/ rendered in a DOM test (jsdom), as Shopify admin renders it: the
 * `shopify` global the target gives it (the resource on the page as `data.selected`), and a
 * `fetch` that goes to the app's real API routes with the shop's session token. The Polaris web
 * components are not defined here, so `s-*` elements stay plain elements with their attributes
 * and listeners: what the block asked Shopify to show, and what it does when clicked.
 */

export interface MountedBlock {
  calls: ReturnType<typeof adminExtensionFetch>["calls"];
}

export async function mountBlock(
  main: () => Promise<void> | void,
  options: { domain: string; target: string; selected: string; token?: string },
): Promise<MountedBlock> {
  const { fetch, calls } = adminExtensionFetch(options.domain, options.token ? { token: options.token } : {});
  Object.assign(globalThis, {
    fetch,
    shopify: {
      extension: { target: options.target },
      data: { selected: [{ id: options.selected }] },
      navigation: { navigate: vi.fn() },
      auth: { idToken: () => Promise.resolve(null) },
      query: () => Promise.reject(new Error("the blocks read the app's API, not the Admin API")),
    },
  });
  await main();
  return { calls };
}

export function unmountBlock(): void {
  render(null, document.body);
}

/**
 * The block's text as a person reads it: the headings Polaris shows from the `heading`
 * attribute (a block's, a section's, a banner's) before what they head, every element's text
 * apart from its neighbours', whitespace collapsed.
 */
export function blockText(node: Node = document.body): string {
  const parts: string[] = [];
  const walk = (current: Node) => {
    if (current.nodeType === current.TEXT_NODE) {
      parts.push(current.textContent ?? "");
      return;
    }
    if (current instanceof Element) {
      const heading = current.getAttribute("heading");
      if (heading) parts.push(` ${heading}: `);
      parts.push(" ");
    }
    current.childNodes.forEach(walk);
    if (current instanceof Element) parts.push(" ");
  };
  walk(node);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** Waits until the block shows `text` (its requests to the app answer asynchronously). */
export async function waitForText(text: string, timeout = 10_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!blockText().includes(text))
        throw new Error(`the block does not show “${text}”; it shows: ${blockText()}`);
    },
    { timeout, interval: 20 },
  );
}

/** The `s-*` elements of a kind whose text is `label`. */
export function elements(tag: string, label?: string): HTMLElement[] {
  return [...document.body.querySelectorAll<HTMLElement>(tag)].filter(
    (element) => label === undefined || (element.textContent ?? "").trim() === label,
  );
}

/** The one button labelled `label` (it fails when there is none, or several). */
export function button(label: string): HTMLElement {
  const found = elements("s-button", label);
  if (found.length !== 1)
    throw new Error(`${found.length} buttons “${label}”; the block shows: ${blockText()}`);
  return found[0]!;
}

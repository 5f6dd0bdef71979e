/**
 * A stand-in for Shopify's App Bridge script (cdn.shopify.com/shopifycloud/app-bridge.js),
 * served at /_sim/app-bridge.js and loaded by the app through its APP_BRIDGE_URL seam, so the
 * embedded pages work in an ordinary browser without Shopify admin around them. It does what
 * the app relies on from App Bridge:
 * - `shopify.idToken()`: a session token for the shop, signed by the simulator with the app
 *   secret as Shopify admin signs them;
 * - the bounce page: with `shopify-reload` in the URL, it reloads that URL with `id_token`;
 * - authenticated fetch: same-origin requests get `Authorization: Bearer <session token>`;
 * - `shopify.toast.show()`, `shopify.loading()`, `shopify.saveBar` as visible, testable DOM;
 * - the elements App Bridge React 4 renders, as custom elements that show in the page what
 *   Shopify admin shows around the app's iframe:
 *   - `<ui-nav-menu>` (`<NavMenu>`): its `<a>` children as a row of links; a click dispatches
 *     `shopify:navigate` on the app's own `<a>`, as App Bridge does, and the app's AppProvider
 *     turns that into a Remix navigation;
 *   - `<ui-title-bar title>` (`<TitleBar>`): a header with the title, breadcrumb and buttons;
 *   - `<ui-save-bar id>` (`<SaveBar>`): the element's `show()`, `hide()`, `toggle()` and
 *     `showing`, `show`/`hide` events, and while shown a bar fixed at the top of the window
 *     with "Unsaved changes" and the element's buttons (Discard, then the `variant="primary"`
 *     one), mirroring their `disabled` and `loading` attributes.
 *   The app's own children of these elements stay in the DOM unrendered (App Bridge reads
 *   them as configuration); the visible copies live in each element's open shadow root, carry
 *   `data-sim-chrome`, and forward a click to the app's element (`click()` on a button, so
 *   React's `onClick` runs).
 * Not covered: `ui-modal`, resource pickers, `discardConfirmation`, leave confirmation.
 */
export function appBridgeScript(): string {
  return `(() => {
  const script = document.currentScript;
  const simOrigin = new URL(script.src).origin;
  const params = new URLSearchParams(location.search);
  const shop = params.get("shop") || sessionStorage.getItem("sim-shop") || "";
  if (shop) sessionStorage.setItem("sim-shop", shop);
  const apiKey = (script.dataset && script.dataset.apiKey) ||
    (document.querySelector('meta[name="shopify-api-key"]') || {}).content || "";
  let cached = null;

  async function idToken() {
    const now = Date.now() / 1000;
    if (cached && cached.exp - 10 > now) return cached.token;
    const response = await nativeFetch(simOrigin + "/_sim/session-token?shop=" + encodeURIComponent(shop));
    const { token } = await response.json();
    const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    cached = { token, exp: claims.exp };
    return token;
  }

  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url, location.href);
    if (url.origin === location.origin && !request.headers.has("Authorization")) {
      const headers = new Headers(request.headers);
      headers.set("Authorization", "Bearer " + (await idToken()));
      return nativeFetch(new Request(request, { headers }));
    }
    return nativeFetch(request);
  };

  function toastHost() {
    let host = document.getElementById("sim-toasts");
    if (!host) {
      host = document.createElement("div");
      host.id = "sim-toasts";
      host.setAttribute("aria-live", "polite");
      host.style.cssText = "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);z-index:10000;display:flex;flex-direction:column;gap:8px";
      document.body.appendChild(host);
    }
    return host;
  }

  // --- App Bridge's custom elements, drawn as Shopify admin draws them around the iframe ---

  const FONT = "-apple-system,BlinkMacSystemFont,'San Francisco','Segoe UI',Roboto,'Helvetica Neue',sans-serif";
  const BUTTON_CSS =
    "button{font:600 13px/20px " + FONT + ";border-radius:8px;padding:6px 12px;cursor:pointer;" +
    "border:1px solid #c9cccf;background:#fff;color:#303030}" +
    "button[data-variant=primary]{background:#303030;border-color:#303030;color:#fff}" +
    "button:disabled{opacity:.55;cursor:default}" +
    "button[aria-busy=true]::after{content:' …'}";

  function labelOf(element) {
    return (element.textContent || "").replace(/\\s+/g, " ").trim();
  }

  /** A visible copy of one of the app's buttons or links that forwards clicks to it. */
  function copyOf(original, dark) {
    const isLink = original.tagName === "A";
    const copy = document.createElement(isLink ? "a" : "button");
    copy.setAttribute("data-sim-chrome", "");
    copy.textContent = labelOf(original);
    const variant = original.getAttribute("variant");
    if (variant) copy.setAttribute("data-variant", variant);
    if (isLink) {
      copy.href = original.getAttribute("href") || "#";
      if (original.getAttribute("rel")) copy.setAttribute("data-rel", original.getAttribute("rel"));
    } else {
      copy.type = "button";
      const loading = original.hasAttribute("loading");
      copy.disabled = original.disabled || loading;
      if (loading) copy.setAttribute("aria-busy", "true");
      if (dark && variant !== "primary") copy.setAttribute("data-tone", "dark");
    }
    copy.addEventListener("click", (event) => {
      event.preventDefault();
      if (isLink) {
        // App Bridge's navigation: the app's AppProvider listens and navigates with Remix.
        original.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true, composed: true }));
      } else if (!original.disabled) {
        original.click();
      }
    });
    return copy;
  }

  function actionsOf(host) {
    const all = Array.from(host.querySelectorAll("button, a"));
    const breadcrumb = all.find((element) => element.getAttribute("variant") === "breadcrumb");
    const rest = all.filter((element) => element !== breadcrumb);
    // Admin lays secondary actions first and the primary action last.
    const primary = rest.filter((element) => element.getAttribute("variant") === "primary");
    const secondary = rest.filter((element) => element.getAttribute("variant") !== "primary");
    return { breadcrumb, buttons: secondary.concat(primary) };
  }

  class SimChrome extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: "open" });
      this.observer = new MutationObserver(() => this.render());
    }
    connectedCallback() {
      this.observer.observe(this, { childList: true, subtree: true, attributes: true, characterData: true });
      this.render();
    }
    disconnectedCallback() {
      this.observer.disconnect();
    }
    draw(css, content) {
      const style = document.createElement("style");
      style.textContent = css;
      this.shadowRoot.replaceChildren(style, ...(content ? [content] : []));
    }
  }

  class NavMenu extends SimChrome {
    render() {
      const nav = document.createElement("nav");
      nav.setAttribute("aria-label", "App navigation");
      for (const link of this.querySelectorAll("a")) {
        const copy = copyOf(link, false);
        const target = new URL(copy.href, location.href);
        if (target.pathname === location.pathname) copy.setAttribute("aria-current", "page");
        nav.appendChild(copy);
      }
      this.draw(
        ":host{display:block}" +
          "nav{display:flex;gap:4px;align-items:center;padding:8px 16px;background:#ebebeb;" +
          "border-bottom:1px solid #d4d4d4;font:500 13px/20px " + FONT + "}" +
          "a{color:#303030;text-decoration:none;padding:4px 10px;border-radius:8px}" +
          "a:hover{background:#e3e3e3}" +
          "a[data-rel=home]{font-weight:700}" +
          "a[aria-current=page]{background:#fff;box-shadow:0 1px 0 #d4d4d4}",
        nav,
      );
    }
  }

  class TitleBar extends SimChrome {
    static get observedAttributes() {
      return ["title"];
    }
    attributeChangedCallback() {
      if (this.shadowRoot) this.render();
    }
    render() {
      const header = document.createElement("header");
      const { breadcrumb, buttons } = actionsOf(this);
      if (breadcrumb) {
        const crumb = copyOf(breadcrumb, false);
        crumb.classList.add("breadcrumb");
        header.appendChild(crumb);
      }
      const title = document.createElement("h1");
      title.textContent = this.getAttribute("title") || "";
      header.appendChild(title);
      const actions = document.createElement("div");
      actions.className = "actions";
      for (const button of buttons) actions.appendChild(copyOf(button, false));
      header.appendChild(actions);
      this.draw(
        ":host{display:block}" +
          "header{display:flex;align-items:center;gap:12px;padding:10px 16px;background:#fff;" +
          "border-bottom:1px solid #e3e3e3;font-family:" + FONT + "}" +
          "h1{font-size:15px;font-weight:650;margin:0;flex:1}" +
          ".actions{display:flex;gap:8px}" +
          ".breadcrumb{color:#616161;text-decoration:none;font-size:13px}" +
          BUTTON_CSS,
        header,
      );
    }
  }

  const saveBarsShown = new Set();
  function announceSaveBars() {
    document.documentElement.dataset.simSaveBar = Array.from(saveBarsShown).join(" ");
  }

  class SaveBar extends SimChrome {
    constructor() {
      super();
      this.isShowing = false;
    }
    get showing() {
      return this.isShowing;
    }
    show() {
      return this.setShowing(true);
    }
    hide() {
      return this.setShowing(false);
    }
    toggle() {
      return this.setShowing(!this.isShowing);
    }
    setShowing(showing) {
      if (this.isShowing !== showing) {
        this.isShowing = showing;
        if (this.id) {
          if (showing) saveBarsShown.add(this.id);
          else saveBarsShown.delete(this.id);
          announceSaveBars();
        }
        this.render();
        this.dispatchEvent(new Event(showing ? "show" : "hide"));
      }
      return Promise.resolve();
    }
    disconnectedCallback() {
      super.disconnectedCallback();
      if (this.id && saveBarsShown.delete(this.id)) announceSaveBars();
    }
    render() {
      if (!this.isShowing) {
        this.draw(":host{display:none}", null);
        return;
      }
      const bar = document.createElement("div");
      bar.className = "bar";
      bar.setAttribute("role", "region");
      bar.setAttribute("aria-label", "Save bar");
      const message = document.createElement("span");
      message.textContent = "Unsaved changes";
      bar.appendChild(message);
      const actions = document.createElement("div");
      actions.className = "actions";
      for (const button of actionsOf(this).buttons) actions.appendChild(copyOf(button, true));
      bar.appendChild(actions);
      this.draw(
        ":host{display:block}" +
          ".bar{position:fixed;top:0;left:0;right:0;z-index:10000;display:flex;align-items:center;" +
          "justify-content:space-between;padding:10px 16px;background:#1a1a1a;color:#e3e3e3;" +
          "font:600 14px/20px " + FONT + ";box-shadow:0 2px 6px rgba(0,0,0,.3)}" +
          ".actions{display:flex;gap:8px}" +
          BUTTON_CSS +
          "button[data-tone=dark]{background:#303030;border-color:#616161;color:#e3e3e3}" +
          "button[data-variant=primary]{background:#fff;border-color:#fff;color:#303030}",
        bar,
      );
    }
  }

  function saveBarElement(id) {
    const element = document.getElementById(id);
    if (!element || element.tagName !== "UI-SAVE-BAR") throw new Error("No ui-save-bar with id " + id);
    return element;
  }

  if (!customElements.get("ui-nav-menu")) customElements.define("ui-nav-menu", NavMenu);
  if (!customElements.get("ui-title-bar")) customElements.define("ui-title-bar", TitleBar);
  if (!customElements.get("ui-save-bar")) customElements.define("ui-save-bar", SaveBar);

  // The nav menu marks the current page; Remix navigates with the History API.
  function historyChanged() {
    for (const menu of document.querySelectorAll("ui-nav-menu")) if (menu.render) menu.render();
  }
  for (const method of ["pushState", "replaceState"]) {
    const original = history[method].bind(history);
    history[method] = (...args) => {
      const result = original(...args);
      historyChanged();
      return result;
    };
  }
  addEventListener("popstate", historyChanged);

  window.shopify = {
    config: { apiKey, shop },
    idToken,
    toast: {
      show(message, options) {
        const toast = document.createElement("div");
        toast.className = "sim-toast" + (options && options.isError ? " sim-toast-error" : "");
        toast.setAttribute("role", "status");
        toast.textContent = message;
        toast.style.cssText = "background:" + (options && options.isError ? "#8e1f0b" : "#303030") + ";color:#fff;padding:10px 16px;border-radius:8px;font:14px sans-serif";
        toastHost().appendChild(toast);
        setTimeout(() => toast.remove(), (options && options.duration) || 5000);
        return "toast";
      },
      hide() {},
    },
    loading(on) {
      document.documentElement.dataset.simLoading = on ? "true" : "false";
    },
    saveBar: {
      async show(id) { return saveBarElement(id).show(); },
      async hide(id) { return saveBarElement(id).hide(); },
      async toggle(id) { return saveBarElement(id).toggle(); },
      leaveConfirmation() { return Promise.resolve(); },
    },
  };

  const reload = params.get("shopify-reload");
  if (reload) {
    idToken().then((token) => {
      const target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }
})();
`;
}

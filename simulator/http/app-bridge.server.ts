/**
 * A stand-in for Shopify's App Bridge script (cdn.shopify.com/shopifycloud/app-bridge.js),
 * served at /_sim/app-bridge.js and loaded by the app through its APP_BRIDGE_URL seam, so the
 * embedded pages work in an ordinary browser without Shopify admin around them. It does what
 * the app relies on from App Bridge:
 * - `shopify.idToken()`: a session token for the shop, signed by the simulator with the app
 *   secret as Shopify admin signs them;
 * - the bounce page: with `shopify-reload` in the URL, it reloads that URL with `id_token`;
 * - authenticated fetch: same-origin requests get `Authorization: Bearer <session token>`;
 * - `shopify.toast.show()`, `shopify.loading()`, `shopify.saveBar` as visible, testable DOM.
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

  const saveBars = new Set();
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
      async show(id) { saveBars.add(id); document.documentElement.dataset.simSaveBar = [...saveBars].join(" "); },
      async hide(id) { saveBars.delete(id); document.documentElement.dataset.simSaveBar = [...saveBars].join(" "); },
      async toggle(id) { return saveBars.has(id) ? this.hide(id) : this.show(id); },
      async leaveConfirmation() {},
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

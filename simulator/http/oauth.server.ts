import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Simulator } from "../simulator.server";

/**
 * Shopify's OAuth endpoints, as far as an app's install path uses them:
 * - GET /admin/oauth/authorize: the merchant approves at once; the browser is sent back to the
 *   app's redirect_uri with a code and Shopify's HMAC over the query (hex SHA-256 with the app
 *   secret of the sorted `key=value&...` pairs without `hmac`).
 * - POST /admin/oauth/access_token: exchanges an authorization code, or (token exchange,
 *   RFC 8693 as Shopify implements it) a session token signed with the app secret, for an
 *   access token. Source: shopify.dev "Exchange a session token for an access token" and
 *   "Authorization code grant".
 */

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";

export class OAuthError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

/** A session token as Shopify admin hands one to an embedded app (HS256 with the app secret). */
export function signSessionToken(
  sim: Simulator,
  domain: string,
  userId = "1",
  nowMs = sim.clock.nowMs(),
): string {
  const now = Math.floor(nowMs / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${domain}/admin`,
    dest: `https://${domain}`,
    aud: sim.options.apiKey,
    sub: userId,
    exp: now + 60,
    nbf: now - 5,
    iat: now,
    jti: randomBytes(8).toString("hex"),
    sid: randomBytes(8).toString("hex"),
  };
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", sim.options.apiSecret)
    .update(`${header}.${body}`)
    .digest("base64url");
  return `${header}.${body}.${signature}`;
}

export function verifySessionToken(sim: Simulator, token: string): SessionTokenClaims {
  const [header, body, signature] = token.split(".");
  if (!header || !body || !signature)
    throw new OAuthError(400, "invalid_subject_token", "Session token is malformed");
  const expected = createHmac("sha256", sim.options.apiSecret).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new OAuthError(400, "invalid_subject_token", "Session token signature is invalid");
  }
  const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as SessionTokenClaims;
  const now = Math.floor(sim.clock.nowMs() / 1000);
  if (claims.aud !== sim.options.apiKey)
    throw new OAuthError(400, "invalid_subject_token", "Session token audience is not this app");
  if (claims.exp < now - 5 || claims.nbf > now + 5)
    throw new OAuthError(400, "invalid_subject_token", "Session token expired");
  return claims;
}

export function queryHmac(secret: string, params: URLSearchParams): string {
  const message = [...params.entries()]
    .filter(([key]) => key !== "hmac" && key !== "signature")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** Codes handed out by /authorize, each good for one exchange. */
const codes = new Map<string, { domain: string; scope: string }>();

export function authorize(sim: Simulator, domain: string, url: URL): string {
  const clientId = url.searchParams.get("client_id");
  const redirectUri = url.searchParams.get("redirect_uri");
  if (clientId !== sim.options.apiKey) throw new OAuthError(400, "invalid_request", "Unknown client_id");
  if (!redirectUri) throw new OAuthError(400, "invalid_request", "redirect_uri is required");
  const code = randomBytes(16).toString("hex");
  codes.set(code, { domain, scope: url.searchParams.get("scope") ?? "" });
  const back = new URL(redirectUri);
  const params = new URLSearchParams({
    code,
    host: Buffer.from(`${domain}/admin`).toString("base64url"),
    shop: domain,
    state: url.searchParams.get("state") ?? "",
    timestamp: String(Math.floor(sim.clock.nowMs() / 1000)),
  });
  params.set("hmac", queryHmac(sim.options.apiSecret, params));
  back.search = params.toString();
  return back.toString();
}

export interface AccessTokenResponse {
  access_token: string;
  scope: string;
  expires_in?: number;
  associated_user_scope?: string;
  associated_user?: Record<string, unknown>;
}

export function accessToken(
  sim: Simulator,
  domain: string,
  body: Record<string, string>,
  scopes: string,
): AccessTokenResponse {
  if (body.client_id !== sim.options.apiKey || body.client_secret !== sim.options.apiSecret) {
    throw new OAuthError(401, "invalid_client", "Client credentials are invalid");
  }
  if (body.grant_type === TOKEN_EXCHANGE) {
    if (body.subject_token_type !== ID_TOKEN)
      throw new OAuthError(400, "invalid_request", "subject_token_type must be an id_token");
    const claims = verifySessionToken(sim, body.subject_token ?? "");
    if (claims.dest !== `https://${domain}`)
      throw new OAuthError(400, "invalid_subject_token", "Session token is for another shop");
    const token = sim.issueToken(domain);
    if (body.requested_token_type === ONLINE) {
      return {
        access_token: token,
        scope: scopes,
        expires_in: 86_400,
        associated_user_scope: scopes,
        associated_user: {
          id: Number(claims.sub),
          first_name: "Store",
          last_name: "Owner",
          email: `owner@${domain}`,
          account_owner: true,
          locale: "en",
          collaborator: false,
          email_verified: true,
        },
      };
    }
    return { access_token: token, scope: scopes };
  }
  const grant = codes.get(body.code ?? "");
  if (!grant || grant.domain !== domain)
    throw new OAuthError(400, "invalid_request", "Authorization code is invalid or was used");
  codes.delete(body.code!);
  return { access_token: sim.issueToken(domain), scope: grant.scope || scopes };
}

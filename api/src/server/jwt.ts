/**
 * Login tokens. PostGraphile signs every `telecom.jwt_token` a login function returns (PgJWTPlugin:
 * jsonwebtoken's default HS256, audience and issuer "postgraphile"); `signToken` makes the same kind
 * of token for tests and tools, and `verifyToken` accepts exactly those tokens.
 */
import jwt from "jsonwebtoken";
import { createSecretKey, type KeyObject } from "node:crypto";

/** The roles a token may carry; the authenticator may switch to anonymous only without a token. */
export const TOKEN_ROLES = ["telecom_customer", "telecom_admin", "telecom_network"] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export interface TokenClaims {
  role: TokenRole;
  mobile_no?: string | null;
  national_id?: number | null;
  admin_id?: number | null;
  /** The network a `telecom_network` token speaks for (authenticate_network). */
  network_id?: string | null;
}

const AUDIENCE = "postgraphile";
const ISSUER = "postgraphile";

/**
 * Why a request's token was refused (HTTP 401). Codes of docs/error-codes.md:
 * TC201 the token is not one of ours (malformed, bad signature, wrong audience/issuer/role, no expiry);
 * TC202 the token has expired (log in again).
 */
export class TokenError extends Error {
  constructor(
    message: string,
    readonly code: "TC201" | "TC202",
  ) {
    super(message);
  }
}

export function signToken(secret: string, claims: TokenClaims, expiresIn: jwt.SignOptions["expiresIn"] = "1h"): string {
  return jwt.sign({ ...claims }, secret, { algorithm: "HS256", audience: AUDIENCE, issuer: ISSUER, expiresIn });
}

/**
 * The secret as a key object, made once: given a string, jsonwebtoken makes one on every call, after
 * first trying to read the string as a public key (which throws), a cost the profile of the
 * dashboard load showed on every request.
 */
let secretKey: { secret: string; key: KeyObject } | undefined;
function keyOf(secret: string): KeyObject {
  if (secretKey?.secret !== secret) secretKey = { secret, key: createSecretKey(Buffer.from(secret)) };
  return secretKey.key;
}

export function verifyToken(secret: string, token: string): TokenClaims {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, keyOf(secret), { algorithms: ["HS256"], audience: AUDIENCE, issuer: ISSUER });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new TokenError("The login has expired; log in again.", "TC202");
    throw new TokenError("The login token is invalid.", "TC201");
  }
  if (typeof payload === "string" || typeof payload.exp !== "number") throw new TokenError("The login token is invalid.", "TC201");
  const { role, mobile_no = null, national_id = null, admin_id = null, network_id = null } = payload;
  if (!TOKEN_ROLES.includes(role)) throw new TokenError("The login token is invalid.", "TC201");
  if (!isTextOrNull(mobile_no) || !isIdOrNull(national_id) || !isIdOrNull(admin_id) || !isTextOrNull(network_id)) {
    throw new TokenError("The login token is invalid.", "TC201");
  }
  const claims: TokenClaims = { role, mobile_no, national_id, admin_id, network_id };
  if (!claimsFitRole(claims)) throw new TokenError("The login token is invalid.", "TC201");
  return claims;
}

/**
 * A claim never raises a role's rights (docs/security.md): a customer's token names their number and person
 * and no admin; an admin's names an admin and no customer; the network's names a network and no
 * person or admin. Anything else is not one of our tokens.
 */
export function claimsFitRole({ role, mobile_no, national_id, admin_id, network_id }: TokenClaims): boolean {
  if (role === "telecom_customer")
    return mobile_no != null && /^[0-9]{11}$/.test(mobile_no) && national_id != null && admin_id == null && network_id == null;
  if (role === "telecom_network")
    return network_id != null && /^[A-Za-z0-9_.-]{1,64}$/.test(network_id) && mobile_no == null && national_id == null && admin_id == null;
  return admin_id != null && mobile_no == null && national_id == null && network_id == null;
}

/** The expiry (seconds since the epoch) of a token that `verifyToken` accepted. */
export function expiryOf(token: string): number {
  return (jwt.decode(token) as jwt.JwtPayload).exp!;
}

function isTextOrNull(value: unknown): value is string | null {
  return value === null || typeof value === "string";
}

function isIdOrNull(value: unknown): boolean {
  return value === null || Number.isInteger(value);
}

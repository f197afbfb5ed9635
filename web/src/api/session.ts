/**
 * The login session: the JWT lives in sessionStorage (one tab, gone when the browser closes) and its
 * claims are decoded here only to choose pages; the server verifies the signature on every request.
 */
const KEY = "telecom.token";

export interface Claims {
  role: "telecom_customer" | "telecom_admin";
  exp: number;
  mobile_no?: string | null;
  national_id?: number | null;
  admin_id?: number | null;
}

function decode(token: string): Claims | null {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part)) as Claims;
  } catch {
    return null;
  }
}

/** The token, or null when there is none or it has expired (an expired one is dropped and the session ends). */
export function token(): string | null {
  const value = sessionStorage.getItem(KEY);
  if (!value) return null;
  const claims = decode(value);
  if (!claims || claims.exp * 1000 <= Date.now()) {
    sessionStorage.removeItem(KEY);
    // The shell listens and goes back to the login page with a notice.
    window.dispatchEvent(new CustomEvent("session-ended"));
    return null;
  }
  return value;
}

export function claims(): Claims | null {
  const value = token();
  return value ? decode(value) : null;
}

export const isAdmin = (): boolean => claims()?.role === "telecom_admin";

export function logIn(value: string): Claims {
  const decoded = decode(value);
  if (!decoded) throw new Error("The server returned an unreadable token.");
  sessionStorage.setItem(KEY, value);
  return decoded;
}

export function logOut(): void {
  sessionStorage.removeItem(KEY);
}

/** The customer's own mobile number and national id; pages that need them are customer-only. */
export function customer(): { mobileNo: string; nationalId: number } {
  const current = claims();
  if (!current?.mobile_no || current.national_id == null) throw new Error("Not logged in as a customer.");
  return { mobileNo: current.mobile_no, nationalId: current.national_id };
}

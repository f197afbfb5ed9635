/**
 * Real URLs with the History API: links inside any shadow root are intercepted, the back button
 * fires popstate, and both end in a `route-changed` event on window that the shell listens to.
 */
export function navigate(path: string, replace = false): void {
  if (path === location.pathname + location.search) return;
  history[replace ? "replaceState" : "pushState"](null, "", path);
  window.dispatchEvent(new Event("route-changed"));
}

/** Same-origin links without a target or modifier keys stay in the app (GraphiQL is a separate page). */
function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
  if (!anchor || anchor.target || anchor.hasAttribute("download") || anchor.origin !== location.origin) return;
  if (anchor.pathname.startsWith("/graphiql")) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}

export function startRouter(): void {
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", () => window.dispatchEvent(new Event("route-changed")));
}

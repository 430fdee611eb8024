/* What Swagger UI leaves out for keyboard and screen reader users, added as it renders
   (React re-renders the blocks, hence the observer; attributes only, never content):
   - its title is a second <h1> under the page's: a sub-heading there (level 2), so the
     groups of operations (level 3) follow in order;
   - a parameter's list of values (true / false…) has no name: the parameter's;
   - each operation's responses table is a region with no name: "Responses" and the
     operation's method and path, so the regions can be told apart;
   - the examples scroll sideways: focusable, so the keyboard can scroll them. */
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root) return;
  const set = (element, name, value) => {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  };
  const operationOf = (element) => {
    const block = element.closest(".opblock");
    if (!block) return "";
    const method = block.querySelector(".opblock-summary-method");
    const path = block.querySelector(".opblock-summary-path");
    return [method && method.textContent, path && path.dataset.path].filter(Boolean).join(" ");
  };
  const complete = () => {
    root.querySelectorAll("h1").forEach((h) => set(h, "aria-level", "2"));
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach((s) => {
      set(s, "aria-label", s.closest("tr").dataset.paramName);
    });
    root.querySelectorAll("[role=region]:not([aria-label])").forEach((region) => {
      set(region, "aria-label", ("Responses " + operationOf(region)).trim());
    });
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach((pre) => {
      set(pre, "tabindex", "0");
    });
  };
  new MutationObserver(complete).observe(root, { childList: true, subtree: true });
  complete();
})();

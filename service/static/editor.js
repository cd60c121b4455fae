// The SPARQL editor page: YASGUI on /sparql in place of the plain form, with the
// named queries as examples that open in the current tab. No request leaves this
// service: the prefix and vocabulary autocompleters (prefix.cc, LOV) are off.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || !window.Yasgui) {
    return;
  }
  var endpoint = new URL("/sparql", window.location.href).href;
  var offline = ["variables"];
  window.Yasgui.Yasqe.defaults.autocompleters = offline;
  var fallback = root.querySelector("form.fallback");
  if (fallback) {
    fallback.hidden = true;
  }
  var yasgui = new window.Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "tw-ocs-sparql",
    yasqe: { value: root.getAttribute("data-default-query"), autocompleters: offline },
  });
  document.querySelectorAll("a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var tab = yasgui.getTab();
      tab.setEndpoint(endpoint);
      tab.setQuery(new URL(link.href).searchParams.get("query"));
      root.scrollIntoView({ block: "start" });
    });
  });
})();

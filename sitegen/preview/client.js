// The preview's script, added to every HTML response (never to a file of the site). It loads livereload.js, which
// reloads the page or swaps a stylesheet when the preview says so, and tells it which build this page shows, so
// that a page opened before the latest build reloads as soon as it connects.
(function () {
  var script = document.currentScript;
  window.LiveReloadPluginSitegenPreview = class {
    static identifier = "sitegen-preview";
    static version = "1";
    analyze() { return { generation: Number(script.dataset.generation) }; }
  };
  document.addEventListener("LiveReloadConnect", function () { document.documentElement.dataset.preview = "connected"; });
  var client = document.createElement("script");
  client.src = "/livereload.js?port=" + (location.port || (location.protocol === "https:" ? 443 : 80));
  document.head.appendChild(client);
})();

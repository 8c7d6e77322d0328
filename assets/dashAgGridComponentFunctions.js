/* MeToo Atlas: the records table's cell renderers. Text only (React escapes it);
 * a link only for an address the server vetted as http(s) with a host (`href`). */
(function () {
  "use strict";
  var components = window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {};

  components.SourceLinks = function (props) {
    var React = window.React;
    var sources = Array.isArray(props.value) ? props.value : [];
    var items = sources.map(function (source, index) {
      var title = String(source.title || "");
      var label = source.publisher ? title + " (" + source.publisher + ")" : title;
      var item = source.href
        ? React.createElement("a", { href: source.href, target: "_blank", rel: "noopener noreferrer" }, label)
        : React.createElement("span", null, label);
      return React.createElement("li", { key: index }, item);
    });
    return React.createElement("ul", { className: "source-links" }, items);
  };
})();

// Firm suggestions in a form: a text field with data-firm-lookup (set by
// directory.forms.firm_lookup_attrs) becomes a combobox (WAI-ARIA 1.2, list autocomplete).
// As one types a name, a SIREN or a SIRET, it asks the platform (which asks the API Recherche
// d'entreprises, else its register) and lists the firms found; the arrows move, Enter or a click
// picks one, Escape closes. The firm picked fills the field (data-firm-value) and the form's
// other fields named in data-firm-fill ("siret:siret place:place"). Without script, or when
// nothing is found, the field is an ordinary one.
(function () {
  "use strict";
  var DELAY_MS = 250;
  var MIN_LENGTH = 3;
  var counter = 0;

  function setUp(input) {
    counter += 1;
    var listId = "firm-lookup-" + counter;
    var wrapper = input.parentNode;
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var fills = (input.dataset.firmFill || "").split(" ").filter(Boolean).map(function (pair) {
      var parts = pair.split(":");
      return { key: parts[0], field: parts[1] };
    });
    var suggestions = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    wrapper.classList.add("firm-lookup");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.firmList || "");
    list.hidden = true;
    status.className = "visually-hidden";
    // A live region, not role="status": that role stays the page's messages'.
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      active = index;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function describe(firm) {
      var where = [firm.postcode, firm.city].filter(Boolean).join(" ");
      return [firm.siret || firm.siren, where, firm.source_label].filter(Boolean).join(" · ");
    }

    function show(found) {
      // An answer that comes after the field was left opens nothing over the rest of the form.
      if (document.activeElement !== input) return;
      suggestions = found;
      list.textContent = "";
      if (!found.length) {
        close();
        status.textContent = input.dataset.firmNone || "";
        return;
      }
      found.forEach(function (firm, i) {
        var option = document.createElement("li");
        var name = document.createElement("span");
        var details = document.createElement("span");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        name.className = "firm-lookup-name";
        name.textContent = firm.name;
        details.className = "firm-lookup-details";
        details.textContent = describe(firm);
        option.append(name, details);
        // mousedown, not click: the field keeps the focus, so its blur does not close first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      active = -1;
      input.setAttribute("aria-expanded", "true");
      status.textContent = found.length + " " + (input.dataset.firmFound || "");
    }

    function pick(index) {
      var firm = suggestions[index];
      if (!firm) return;
      input.value = firm[input.dataset.firmValue || "name"] || input.value;
      fills.forEach(function (fill) {
        var field = input.form && input.form.elements.namedItem(fill.field);
        if (field && firm[fill.key]) {
          field.value = firm[fill.key];
          field.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      close();
      status.textContent = firm.name;
    }

    function ask() {
      var text = input.value.trim();
      asked += 1;  // an answer to an earlier text is no longer wanted
      var mine = asked;
      if (text.length < MIN_LENGTH) {
        close();
        return;
      }
      var url = input.dataset.firmLookup;
      url += (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (answer) { if (mine === asked) show(answer.suggestions || []); })
        .catch(function () { if (mine === asked) close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var count = suggestions.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          if (count) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          }
          event.preventDefault();
          return;
        }
        event.preventDefault();
        var down = event.key === "ArrowDown";
        if (active < 0) highlight(down ? 0 : count - 1);
        else highlight((active + (down ? 1 : -1) + count) % count);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-firm-lookup]").forEach(setUp);
  });
})();

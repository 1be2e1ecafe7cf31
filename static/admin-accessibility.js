// The admin's accessibility repairs (templates/admin/base_site.html), a file for the Content-Security-Policy,
// which runs no inline script. Its texts come translated in the script element's data attributes.
(() => {
  const text = document.currentScript.dataset;

  // After the admin's own scripts have built their widgets: the filter widgets' search icons have a label but
  // no role that allows one, and a tabular inline's first column header is empty.
  window.addEventListener("load", () => setTimeout(() => {
    document.querySelectorAll(".search-label-icon[aria-label], .search-label-icon[title]").forEach((icon) => {
      icon.setAttribute("role", "img");
      if (!icon.hasAttribute("aria-label")) icon.setAttribute("aria-label", icon.getAttribute("title"));
    });
    // A date and time field is two inputs, and the field's label points at neither.
    document.querySelectorAll("input.vDateField, input.vTimeField").forEach((input) => {
      if (input.labels.length || input.hasAttribute("aria-label")) return;
      const field = document.querySelector(`label[for="${input.id.replace(/_[01]$/, "")}"]`);
      const part = input.classList.contains("vDateField") ? text.date : text.time;
      input.setAttribute("aria-label", field ? `${field.textContent.replace(/:$/, "").trim()}, ${part}` : part);
    });
    // A tabular inline's fields are labelled by their column's header, which is visible above them.
    document.querySelectorAll(".tabular table").forEach((table, t) => {
      const headers = [...table.querySelectorAll("thead th")];
      table.querySelectorAll("tbody tr").forEach((row) => {
        [...row.children].forEach((cell, c) => {
          const header = headers[c];
          if (!header || !header.textContent.trim()) return;
          header.id ||= `inline-${t}-column-${c}`;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((field) => {
            if (!field.labels.length && !field.hasAttribute("aria-labelledby")) field.setAttribute("aria-labelledby", header.id);
          });
        });
      });
    });
    // The filter widget of a many-to-many field (SelectFilter2.js) renames the field's select to …_from, which
    // leaves the field's label pointing at nothing, and gives its "chosen" box a size of 0, which HTML forbids.
    document.querySelectorAll("label[for]").forEach((label) => {
      const available = document.getElementById(`${label.htmlFor}_from`);
      if (available && !document.getElementById(label.htmlFor)) label.htmlFor = available.id;
    });
    document.querySelectorAll("select[size='0']").forEach((select) => select.removeAttribute("size"));
    document.querySelectorAll("th.original").forEach((header) => {
      if (header.textContent.trim()) return;
      const span = document.createElement("span");
      span.className = "visually-hidden";
      span.textContent = text.item;
      header.replaceChildren(span);
    });
  }));
})();

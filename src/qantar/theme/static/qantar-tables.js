/* Full tables (class qantar-full) become searchable, sortable and filterable with
   simple-datatables, loaded just before this file. Configuration only: the library does the
   work. Without JavaScript the table stays a plain table. */
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.qantar-full").forEach((table, n) => {
    if (!table.tHead || !table.tBodies.length) return;
    const total = table.tBodies[0].rows.length;
    const headings = Array.from(table.tHead.rows[0].cells, (cell) => cell.textContent.trim());
    const filters = headings.map((_, i) =>
      `<label class="qantar-filter"><span data-heading="${i}"></span>` +
      `<input class="datatable-input" type="search" data-columns="[${i}]"></label>`).join("");
    const datatable = new simpleDatatables.DataTable(table, {
      // Every row stays in the page: links to a row's anchor, find-in-page and print keep working.
      paging: false,
      labels: {
        placeholder: "Search the table",
        searchTitle: "Search all columns",
        noRows: "No rows",
        noResults: "No rows match",
      },
      template: (options, dom) => `<div class="${options.classes.top}">
  <div class="${options.classes.search}">
    <input class="${options.classes.input}" type="search" placeholder="${options.labels.placeholder}"
           aria-label="${options.labels.searchTitle}" title="${options.labels.searchTitle}">
  </div>
  <details class="qantar-filters"><summary>Filter by column</summary>${filters}</details>
</div>
<div class="${options.classes.container} qantar-scroll" tabindex="0" role="region" aria-label="Table ${n + 1}, scrollable"></div>
<div class="${options.classes.bottom}"><p class="qantar-count" aria-live="polite"></p></div>`,
    });
    // Column names go in as text, never as markup.
    datatable.wrapperDOM.querySelectorAll("[data-heading]").forEach((span) => {
      span.textContent = headings[Number(span.dataset.heading)];
    });
    // How many rows the search and filters leave (the library's events pass the matching rows).
    const count = datatable.wrapperDOM.querySelector(".qantar-count");
    const show = (searching, rows) => { count.textContent = `${searching ? rows.length : total} of ${total} rows`; };
    datatable.on("datatable.search", (term, rows) => show(term.length > 0, rows));
    datatable.on("datatable.multisearch", (queries, rows) => show(queries.length > 0, rows));
    show(false, []);
    // The table was rebuilt after the browser scrolled to a row's anchor: scroll to it again.
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && datatable.wrapperDOM.contains(target)) target.scrollIntoView();
  });
});

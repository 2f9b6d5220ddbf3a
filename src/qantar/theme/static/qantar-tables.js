/* Full tables (class qantar-full) become searchable, sortable and filterable with
   simple-datatables, loaded just before this file. Configuration only: the library does the
   work. Without JavaScript the table stays a plain table. */
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.qantar-full").forEach((table, n) => {
    const headings = Array.from(table.tHead.rows[0].cells, (cell) => cell.textContent.trim());
    const filters = headings.map((_, i) =>
      `<label class="qantar-filter"><span data-heading="${i}"></span>` +
      `<input class="datatable-input" type="search" data-columns="[${i}]"></label>`).join("");
    const datatable = new simpleDatatables.DataTable(table, {
      perPage: 25,
      // No "…" pager item: the library marks it aria-hidden but keeps it focusable.
      truncatePager: false,
      perPageSelect: [10, 25, 100, ["all", 0]],
      labels: {
        placeholder: "Search the table",
        searchTitle: "Search all columns",
        perPage: "rows per page",
        noRows: "No rows",
        noResults: "No rows match",
        info: "Rows {start} to {end} of {rows}",
      },
      template: (options, dom) => `<div class="${options.classes.top}">
  <div class="${options.classes.search}">
    <input class="${options.classes.input}" type="search" placeholder="${options.labels.placeholder}"
           aria-label="${options.labels.searchTitle}" title="${options.labels.searchTitle}">
  </div>
  <div class="${options.classes.dropdown}">
    <label><select class="${options.classes.selector}"></select> ${options.labels.perPage}</label>
  </div>
  <details class="qantar-filters"><summary>Filter by column</summary>${filters}</details>
</div>
<div class="${options.classes.container} qantar-scroll" tabindex="0" role="region" aria-label="Table ${n + 1}, scrollable"></div>
<div class="${options.classes.bottom}">
  <div class="${options.classes.info}"></div>
  <nav class="${options.classes.pagination}" aria-label="Table pages"></nav>
</div>`,
    });
    // Column names go in as text, never as markup.
    datatable.wrapperDOM.querySelectorAll("[data-heading]").forEach((span) => {
      span.textContent = headings[Number(span.dataset.heading)];
    });
  });
});

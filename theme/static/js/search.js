/*
 * Full-text search over the explainers and their claims, with Pagefind's index
 * (built into /pagefind/ by `make html`). The index is loaded only when a search is
 * made, since Pagefind needs WebAssembly (CSP: script-src 'self' 'wasm-unsafe-eval').
 */
const script = document.currentScript || document.querySelector("script[data-site-root]");
const siteRoot = new URL(script.dataset.siteRoot, window.location.href);
const form = document.querySelector("form.search");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");

let pagefind = null;

async function load() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await pagefind.options({ baseUrl: siteRoot.pathname });
  }
  return pagefind;
}

function show(results, query) {
  list.replaceChildren();
  for (const result of results) {
    const item = document.createElement("li");
    item.className = "search__result";
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.meta.title || result.url;
    const excerpt = document.createElement("p");
    // Pagefind's excerpt is text from our own pages with the matches in <mark>.
    excerpt.innerHTML = result.excerpt;
    item.append(link, excerpt);
    list.append(item);
  }
  status.textContent = results.length
    ? `${results.length} result${results.length === 1 ? "" : "s"} for “${query}”`
    : `Nothing found for “${query}”`;
}

async function run(query) {
  if (!query.trim()) return;
  status.textContent = "Searching…";
  try {
    const engine = await load();
    const search = await engine.search(query);
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    show(results, query);
  } catch (error) {
    status.textContent = "Search could not run in this browser. Try the claims index or the archives.";
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value;
  const url = new URL(window.location.href);
  url.searchParams.set("q", query);
  window.history.replaceState(null, "", url);
  run(query);
});

const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}

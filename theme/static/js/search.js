/*
 * Full-text search over the explainers and their claims, with Pagefind's index
 * (built into /pagefind/ by `make html`, in parts listed in /pagefind/parts.json, merged
 * here). The index is loaded only when a search is made, since Pagefind needs
 * WebAssembly (CSP: script-src 'self' 'wasm-unsafe-eval').
 * A result links to the claim or section that matched best (its #fragment).
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
    const listed = await fetch(new URL("pagefind/parts.json", siteRoot));
    const [first, ...others] = (await listed.json()).map((part) => new URL(`pagefind/${part}/`, siteRoot));
    const engine = await import(new URL("pagefind.js", first).href);
    await engine.options({ baseUrl: siteRoot.pathname });
    for (const part of others) {
      await engine.mergeIndex(part.href, { baseUrl: siteRoot.pathname });
    }
    pagefind = engine;
  }
  return pagefind;
}

// The part of a page that matched most: a claim (its heading in the index) or a section.
function best(result) {
  const anchored = (result.sub_results || []).filter((sub) => sub.url.includes("#"));
  if (!anchored.length) return { url: result.url, title: "", excerpt: result.excerpt };
  const count = (sub) => (sub.locations || []).length;
  return anchored.reduce((top, sub) => (count(sub) > count(top) ? sub : top));
}

function show(results, query) {
  list.replaceChildren();
  for (const result of results) {
    const item = document.createElement("li");
    item.className = "search__result";
    const where = best(result);
    const link = document.createElement("a");
    link.href = where.url;
    link.textContent = result.meta.title || result.url;
    item.append(link);
    if (where.title && where.title !== result.meta.title) {
      const section = document.createElement("p");
      section.className = "search__section";
      section.textContent = where.title;
      item.append(section);
    }
    const excerpt = document.createElement("p");
    // Pagefind's excerpt is text from our own records with the matches in <mark>.
    excerpt.innerHTML = where.excerpt;
    item.append(excerpt);
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

// The page hides the form, which needs this script to do anything; it can search now.
form.hidden = false;

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

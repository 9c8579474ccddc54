// Run Pagefind's own search (the built site's pagefind.js) under Node, without a browser.
// usage: node pagefind_query.mjs LANGUAGE_ROOT LANG BASE_URL QUERY... → {"query": ["/url/", ...], ...}
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const [site, lang, baseUrl, ...queries] = process.argv.slice(2);
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, opts) => {
  const u = String(url);
  if (u.startsWith("file:")) return new Response(await readFile(fileURLToPath(u.split("?")[0])));
  return realFetch(url, opts);
};
globalThis.window = globalThis;
globalThis.location = { href: pathToFileURL(path.resolve(site)).href + "/", origin: "null" };
globalThis.document = { documentElement: { lang }, querySelector: () => ({ getAttribute: () => lang }) };
const bundle = pathToFileURL(path.resolve(site, "pagefind") + "/").href;
const pagefind = await import(bundle + "pagefind.js");
await pagefind.options({ basePath: bundle, baseUrl });
await pagefind.init();
const out = {};
for (const q of queries) {
  const found = await pagefind.search(q);
  out[q] = await Promise.all(found.results.map(async (r) => (await r.data()).url));
  if (process.env.EXCERPT) out[q + " excerpt"] = await Promise.all(found.results.map(async (r) => (await r.data()).excerpt));
}
console.log(JSON.stringify(out));

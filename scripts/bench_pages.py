"""Lighthouse (mobile) on the built site, served locally with compression: the pages a donor opens first.

    python scripts/bench_pages.py [--site site] [--runs 3] [--lighthouse PATH]

Serves ``site/`` on 127.0.0.1 with gzip (as any web server would), runs Lighthouse 12.2.3 three
times per page with Debian's Chromium, and prints the best performance score, LCP and bytes
transferred of each page in each language, with the same figures for a **floor**: a page of
the same site holding only its title (the frame's cost, nothing of ours).

Needs Node.js, ``npm install lighthouse@12.2.3`` (in ``--lighthouse``'s folder, default
``tests/browser/node_modules`` then ``$LIGHTHOUSE``), and ``/usr/bin/chromium``
(``apt-get install -y chromium``). A busy machine only lowers scores: the best of the runs counts.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".mjs")


class Compressed(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it; fingerprinted assets cached for a year."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or path.suffix not in COMPRESSIBLE:
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        import io

        return io.BytesIO(data)

    def end_headers(self) -> None:
        if re.search(r"\.[0-9a-f]{8,}\.", self.path):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        super().end_headers()


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Compressed, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse_bin(given: Path | None) -> list[str]:
    for folder in [given, REPO / "tests/browser", Path(os.environ.get("LIGHTHOUSE", "/nonexistent"))]:
        if folder and (folder / "node_modules/lighthouse/cli/index.js").is_file():
            return ["node", str(folder / "node_modules/lighthouse/cli/index.js")]
    found = shutil.which("lighthouse")
    if found:
        return [found]
    sys.exit("Lighthouse not found: npm install lighthouse@12.2.3 (see --lighthouse)")


def run(cmd: list[str], url: str, out: Path) -> dict[str, float]:
    subprocess.run([*cmd, url, "--quiet", "--only-categories=performance", "--output=json", f"--output-path={out}",
                    "--chrome-path=/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else "",
                    f"--chrome-flags={CHROME_FLAGS}"], check=True, capture_output=True, timeout=240)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {"score": round(report["categories"]["performance"]["score"] * 100),
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "kb": audits["total-byte-weight"]["numericValue"] / 1024}


def pages(site: Path) -> list[tuple[str, str]]:
    """(label, path) of home, catalogue, a need, a story and search, in every language built."""
    need = sorted(p.parent.name for p in (site / "needs").glob("*/index.html"))[0]
    story = sorted(p.parent.name for p in (site / "stories").glob("*/index.html"))[0]
    from aidcatalog import languages

    declared = languages.from_site_file(REPO / "catalog" / "site.yaml")
    out = []
    for code in declared.codes:
        prefix, tag = declared.prefix(code), code
        out += [(f"home ({tag})", prefix), (f"catalogue ({tag})", f"{prefix}catalogue/"),
                (f"need ({tag})", f"{prefix}needs/{need}/"), (f"story ({tag})", f"{prefix}stories/{story}/"),
                (f"search ({tag})", f"{prefix}search/")]
    return out


def floor_page(site: Path) -> str:
    """A page with the site's frame and nothing else: the need page with its content emptied."""
    need = sorted((site / "needs").glob("*/index.html"))[0]
    html = need.read_text(encoding="utf-8")
    html = re.sub(r'(<article[^>]*>).*?(</article>)', r"\1<h1>Floor</h1>\2", html, count=1, flags=re.S)
    floor = need.parent.parent / "bench-floor"
    floor.mkdir(exist_ok=True)
    (floor / "index.html").write_text(html, encoding="utf-8")
    return "needs/bench-floor/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=REPO / "site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lighthouse", type=Path, help="folder whose node_modules holds lighthouse")
    args = parser.parse_args()
    cmd = lighthouse_bin(args.lighthouse)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site)
        targets = [("floor (frame only)", floor_page(site)), *pages(site)]
        server, base = serve(site)
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; best of {args.runs} runs")
        print(f"{'page':<22} {'score':>5} {'LCP s':>6} {'KB':>6}")
        try:
            for label, path in targets:
                best: dict[str, float] | None = None
                for i in range(args.runs):
                    try:
                        r = run(cmd, base + path, Path(tmp) / f"r{i}.json")
                    except (subprocess.SubprocessError, KeyError, ValueError) as exc:
                        print(f"  {label}: run {i + 1} failed: {exc}", file=sys.stderr)
                        continue
                    if best is None or (r["score"], -r["lcp"]) > (best["score"], -best["lcp"]):
                        best = r
                if best:
                    print(f"{label:<22} {best['score']:5.0f} {best['lcp']:6.2f} {best['kb']:6.0f}")
                sys.stdout.flush()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

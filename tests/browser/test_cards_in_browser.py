"""Social cards as a browser reads them: Chromium decodes each PNG the build writes
(`render/png.py`), for titles in every script the attack on the cards tried."""

from __future__ import annotations

import base64

from test_attack16 import CARD_TITLES, card_site  # noqa: F401 (card_site: a fixture)


def test_chromium_reads_every_card_at_its_size(card_site, browser):  # noqa: F811
    """<img src="data:image/png;base64,…"> decoded by Chromium: natural size 1200×630."""
    sources = {
        slug: "data:image/png;base64,"
        + base64.b64encode((card_site.output / f"{slug}.card.png").read_bytes()).decode()
        for slug in CARD_TITLES
    }
    page = browser.new_page()
    try:
        sizes = page.evaluate(
            """async (sources) => {
                const sizes = {};
                for (const [slug, src] of Object.entries(sources)) {
                    const img = new Image();
                    img.src = src;
                    try { await img.decode(); sizes[slug] = [img.naturalWidth, img.naturalHeight]; }
                    catch (e) { sizes[slug] = String(e); }
                }
                return sizes;
            }""",
            sources,
        )
    finally:
        page.close()
    assert sizes == {slug: [1200, 630] for slug in CARD_TITLES}

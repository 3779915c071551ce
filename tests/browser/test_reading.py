"""Notes open in place, by mouse, keyboard and touch; without JavaScript every note is reachable."""

from __future__ import annotations

from conftest import SCREENSHOTS

KURSK = "/north-korean-soldiers-kursk.html"


def first_citation(page):
    return page.locator('.explainer__body a[role="doc-noteref"]').first


def test_click_opens_the_note_beside_the_citation_and_esc_closes_it(open_page):
    watched = open_page(KURSK)
    page = watched.page
    citation = first_citation(page)
    citation.click()
    popup = page.locator("#note-popup")
    assert popup.is_visible()
    note_text = page.locator(citation.get_attribute("href")).locator(".note__publisher").inner_text()
    assert note_text in popup.inner_text()
    assert page.evaluate("document.activeElement.id") == "note-popup"
    assert citation.get_attribute("aria-expanded") == "true"
    # The note sits against its citation's line: just below it, or just above it when there
    # is not room below (test_reading_design.py measures every citation).
    citation_box, popup_box = citation.bounding_box(), popup.bounding_box()
    below = popup_box["y"] - (citation_box["y"] + citation_box["height"])
    above = citation_box["y"] - (popup_box["y"] + popup_box["height"])
    assert 0 <= below < 20 or 0 <= above < 20
    page.keyboard.press("Escape")
    assert popup.count() == 0
    assert page.evaluate("document.activeElement.getAttribute('role')") == "doc-noteref"
    assert citation.get_attribute("aria-expanded") == "false"
    assert watched.errors == []


def test_keyboard_opens_and_closes_a_note(open_page):
    page = open_page(KURSK).page
    citation = first_citation(page)
    citation.focus()
    page.keyboard.press("Enter")
    assert page.locator("#note-popup").is_visible()
    page.keyboard.press("Tab")  # into the note: its links and its close button
    assert page.evaluate("document.getElementById('note-popup').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert page.locator("#note-popup").count() == 0
    assert page.evaluate("document.activeElement") is not None
    assert page.evaluate("document.activeElement.textContent") == citation.inner_text()


def test_close_button_and_clicking_elsewhere_close_the_note(open_page):
    page = open_page(KURSK).page
    first_citation(page).click()
    page.get_by_role("button", name="Close").click()
    assert page.locator("#note-popup").count() == 0
    first_citation(page).click()
    page.mouse.click(2, 2)  # the page's margin: outside the note, whichever way it opened
    assert page.locator("#note-popup").count() == 0


def test_touch_opens_a_note(open_page):
    page = open_page(KURSK, has_touch=True, is_mobile=True, viewport={"width": 375, "height": 800}).page
    citation = first_citation(page)
    citation.tap()
    popup = page.locator("#note-popup")
    assert popup.is_visible()
    box = popup.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375  # inside a phone's screen


def test_without_javascript_every_citation_reaches_its_note_and_back(open_page):
    page = open_page(KURSK, java_script_enabled=False).page
    citations = page.locator('a[role="doc-noteref"]')
    hrefs = citations.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs
    for href in set(hrefs):
        assert page.locator(f'li[id="{href[1:]}"]').count() == 1
    citation = citations.nth(2)
    citation_id = citation.get_attribute("id")
    target = citation.get_attribute("href")
    citation.click()
    assert page.url.endswith(target)
    assert page.locator(f'li[id="{target[1:]}"]').is_visible()
    page.locator(f'li[id="{target[1:]}"] a[role="doc-backlink"][href="#{citation_id}"]').click()
    assert page.url.endswith("#" + citation_id)


def test_screenshots_for_a_person_to_look_at(open_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        for name, path in (("home", "/"), ("explainer", KURSK)):
            page = open_page(path, viewport={"width": width, "height": 900}).page
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        page = open_page(KURSK, viewport={"width": width, "height": 900}).page
        first_citation(page).click()
        page.screenshot(path=SCREENSHOTS / f"explainer-note-open-{width}.png")
        page = open_page(KURSK, viewport={"width": width, "height": 900}, color_scheme="dark").page
        page.screenshot(path=SCREENSHOTS / f"explainer-dark-{width}.png")
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 8


def test_print_shows_every_source_address_and_hides_navigation(open_page):
    page = open_page(KURSK).page
    page.emulate_media(media="print")
    after = page.locator("#sources a.note__title").evaluate_all(
        "links => links.map(a => [a.href, getComputedStyle(a, '::after').content])"
    )
    assert after
    assert all(href in content for href, content in after)
    assert page.locator(".site-header__nav").is_hidden()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")

"""Choosing with a picker in a browser test: type part of a name, choose the result that reads so."""

from playwright.sync_api import Page, expect


def pick(page: Page, box: str, text: str, choose: str | None = None) -> None:
    """Type `text` into the picker's text box `box` (a selector) and click the first result that
    contains `choose` (by default the text itself); the hidden value is then filled."""
    field = page.locator(box)
    field.click()
    field.fill("")
    field.press_sequentially(text, delay=20)
    results = page.locator(f"{box}_list [role=option]")
    option = results.filter(has_text=choose or text).first
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(f"{box}_list")).to_be_hidden()

"""The review app in a real browser: Debian's chromium driven by Selenium through Debian's
chromium-driver (scripts/ci_chromium.sh installs both; .ci/run calls it), against `baocao serve`'s
app on a real uvicorn server on 127.0.0.1. A person opens the overview, filters the figures to
one province, opens a figure and sees its quote highlighted, dismisses a finding, reloads and
sees it still dismissed. Screenshots of each step go to outputs/web-*.png."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_store import ROOT, build_review_store

from baocao.web import ServeSettings, create_app

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
# In CI (.ci/run installs both) a missing browser is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("CI"),
    reason="chromium and chromium-driver are not installed (bash scripts/ci_chromium.sh)",
)
SHOTS = ROOT / "outputs"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`baocao serve --review` on a store loaded from corpus/ and the article, on a free port."""
    import uvicorn

    root = tmp_path_factory.mktemp("browser")
    db = root / "review.duckdb"
    build_review_store(str(db), root)
    port = _free_port()
    app = create_app(ServeSettings(db=str(db), port=port, review=True, reviewer="kiem_tra_vien"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the app did not start")
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,1100", "--lang=vi", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"):
        options.add_argument(flag)
    # The Debian driver, named explicitly: Selenium Manager is never asked to download one.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def shot(driver: object, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"web-{name}.png"
    driver.save_full_page_screenshot(str(path)) if hasattr(driver, "save_full_page_screenshot") else None
    if not path.exists():
        driver.save_screenshot(str(path))
    return path


def test_a_reviewer_goes_from_the_overview_to_a_quote_and_settles_a_finding(server: str, browser: object) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    d = browser
    # A form posts and the page is loaded again: an element found on the old page goes stale
    # while the wait polls; it is looked up again on the next poll.
    wait = WebDriverWait(d, 60, ignored_exceptions=(StaleElementReferenceException,))

    # 1. the overview: counts and both charts drawn
    d.get(server + "/")
    assert int(d.find_element(By.ID, "n-loaded").text) >= 10
    assert d.find_element(By.TAG_NAME, "h1").text == "Tổng quan dữ liệu"
    charts = d.find_elements(By.CSS_SELECTOR, ".charts img")
    assert len(charts) == 2
    wait.until(lambda _: all(d.execute_script("return arguments[0].naturalWidth", img) > 100 for img in charts))
    assert shot(d, "1-overview").stat().st_size > 20_000

    # 2. the explorer, filtered to one province with the form as a person uses it
    d.find_element(By.LINK_TEXT, "Số liệu").click()
    wait.until(ec.presence_of_element_located((By.ID, "filters")))
    Select(d.find_element(By.ID, "filter-province")).select_by_value("Bắc Giang")
    d.find_element(By.ID, "apply-filters").click()
    wait.until(ec.url_contains("province="))
    assert d.find_element(By.ID, "n-results").text == "5"
    rows = d.find_elements(By.CSS_SELECTOR, "#figures tbody tr")
    assert len(rows) == 5 and all("Bắc Giang" in r.text for r in rows)
    shot(d, "2-figures-bac-giang")

    # 3. a figure: its quote highlighted inside the text around its sentence
    first = rows[0].find_element(By.CSS_SELECTOR, "a.figure-link")
    quote = rows[0].find_elements(By.TAG_NAME, "td")[1].text
    first.click()
    mark = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#context mark#quote")))
    assert mark.text == quote
    assert "Huyện ủy Lạng Giang" in d.find_element(By.ID, "context").text  # the text around the sentence
    background = mark.value_of_css_property("background-color")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # really highlighted
    shot(d, "3-figure-quote")

    # 4. a finding dismissed with a note
    d.find_element(By.LINK_TEXT, "Phát hiện kiểm tra").click()
    link = wait.until(ec.element_to_be_clickable(
        (By.XPATH, "//article[.//code[contains(., '18 + 7 = 25')]]//p[@class='message']/a")))
    link.click()
    wait.until(ec.presence_of_element_located((By.ID, "review-form")))
    state = d.find_element(By.CSS_SELECTOR, "article.finding .state")
    assert state.get_attribute("data-state") == "open"
    d.find_element(By.ID, "review-note").send_keys("Bài báo cộng nhầm; số 24 là số kết nạp.")
    d.find_element(By.ID, "review-dismiss").click()
    wait.until(lambda _: d.find_element(By.CSS_SELECTOR, "article.finding .state").get_attribute("data-state") == "dismissed")

    # 5. reloaded: still dismissed, with its note in the history
    d.refresh()
    state = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "article.finding .state")))
    assert state.get_attribute("data-state") == "dismissed"
    assert "đã bác bỏ" in state.text and "kiem_tra_vien" in state.text
    assert "Bài báo cộng nhầm" in d.find_element(By.ID, "review-history").text
    shot(d, "4-finding-dismissed")

    # and the English switch
    d.find_element(By.ID, "lang-switch").click()
    wait.until(lambda _: d.find_element(By.CSS_SELECTOR, "article.finding .state").text.startswith("dismissed"))
    d.get(server + "/")
    assert d.find_element(By.TAG_NAME, "h1").text == "The dataset at a glance"

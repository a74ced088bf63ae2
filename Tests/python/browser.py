"""A real browser for the console and HTML report tests: headless Chromium driven by chromedriver.

Both come from Debian's `chromium` and `chromium-driver` packages and Selenium from PyPI
(scripts/setup.sh --test installs them). The browser's console is recorded, so a test can assert
that a page ran without errors.
"""
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def open_browser():
    """A new headless Chromium that records every console message; the caller quits it."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def console_errors(driver):
    """The console messages at level SEVERE since the last call (errors, uncaught exceptions, failed loads)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def wait_until(driver, condition, seconds=10, message=""):
    """Waits until `condition(driver)` is truthy and returns its value; fails the test with `message` otherwise."""
    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(condition, message)


@pytest.fixture
def browser():
    """One headless Chromium per test."""
    driver = open_browser()
    yield driver
    driver.quit()

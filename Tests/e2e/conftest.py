"""Browser tests: real headless Chromium (Debian's chromium + chromium-driver) driven by Selenium.

scripts/test starts `renkou serve` on a throw-away database with one admin account and passes
RENKOU_E2E_URL, RENKOU_E2E_USER and RENKOU_E2E_PASSWORD.
"""
import os

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("RENKOU_E2E_URL", "http://127.0.0.1:18080")
USER = os.environ.get("RENKOU_E2E_USER", "e2eadmin")
PASSWORD = os.environ.get("RENKOU_E2E_PASSWORD", "e2e-password-1")
SHOTS = os.environ.get("RENKOU_E2E_SHOTS")  # a folder to keep screenshots in, when set


def make_driver(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--lang=zh-CN"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


@pytest.fixture
def browser():
    driver = make_driver(1280, 900)
    driver.implicitly_wait(3)
    yield driver
    driver.quit()


@pytest.fixture
def phone():
    driver = make_driver(390, 844)
    driver.implicitly_wait(3)
    yield driver
    driver.quit()


def shot(driver, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def click_and_wait(driver, element):
    """Clicks something that loads a new page and waits until the old one is gone, so that the
    next look at the page sees the new one (without this, a fast test reads the old page)."""
    old = driver.find_element("tag name", "html")
    element.click()
    WebDriverWait(driver, 10).until(lambda _: is_gone(old))


def is_gone(element):
    """True once the element has left the document. Chromium 156 sometimes reports a replaced page's
    node as "does not belong to the document" (a WebDriverException) instead of a stale reference;
    expected_conditions.staleness_of lets that through and the test fails (seen 2026-11-24 in CI)."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error) or "No node with given id" in str(error):
            return True
        raise


def set_date(driver, field_id, iso):
    """Date inputs take typed digits in the browser's locale order; setting the value is the same everywhere."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element("id", field_id), iso)


def sign_in(driver, user=USER, password=PASSWORD):
    driver.get(BASE + "/login")
    driver.find_element("id", "f-username").send_keys(user)
    driver.find_element("id", "f-password").send_keys(password)
    click_and_wait(driver, driver.find_element("id", "login-submit"))

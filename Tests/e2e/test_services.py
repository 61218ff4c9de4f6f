"""Services in the browser: a provider records an IUD insertion after counselling (the informed
choice: methods explained, the one chosen, the medical-eligibility category); a month later the grid
worker finds the follow-up on the task list of a phone-sized window, without the method, and records
the visit."""
import datetime
import tempfile

from selenium.webdriver.support.ui import Select

from conftest import BASE, PASSWORD, click_and_wait, set_date, shot, sign_in
from test_daily_use import GRID, sideways, sign_out
from test_migrants import id_number


def test_provider_records_an_insertion_and_the_grid_worker_the_follow_up(browser, phone):
    # the administrator registers her in the grid (a married woman)
    sign_in(browser)
    browser.get(BASE + "/persons/new")
    browser.find_element("id", "f-name").send_keys("常晓梅")
    browser.find_element("id", "f-idNumber").send_keys(id_number("31011419930415002"))
    Select(browser.find_element("id", "f-unit")).select_by_value(GRID)
    Select(browser.find_element("id", "f-maritalStatus")).select_by_value("20")
    click_and_wait(browser, browser.find_element("id", "save-person"))
    person_url = browser.current_url
    sign_out(browser)

    # the provider, after counselling her, records the insertion five weeks ago
    day = (datetime.date.today() - datetime.timedelta(days=36)).isoformat()
    sign_in(browser, "e2eprovider", PASSWORD)
    browser.get(person_url)
    click_and_wait(browser, browser.find_element("id", "new-service"))
    Select(browser.find_element("id", "f-kind")).select_by_value("iud-insertion")
    set_date(browser, "f-date", day)
    set_date(browser, "f-counselledOn", day)
    browser.find_element("id", "f-counsellor").send_keys("王医生")
    # two methods are not enough: the form says so and keeps what was typed
    for m in ("iud", "condom"):
        browser.find_element("id", "explained-" + m).click()
    Select(browser.find_element("id", "f-mec")).select_by_value("1")
    click_and_wait(browser, browser.find_element("id", "save-service"))
    assert "至少 3 种" in browser.find_element("id", "e-methodsExplained").text
    assert browser.find_element("id", "explained-iud").is_selected()
    for m in ("implant", "oral-pill", "emergency-pill"):
        browser.find_element("id", "explained-" + m).click()
    set_date(browser, "f-date", day)
    set_date(browser, "f-counselledOn", day)
    # her signed consent, scanned
    consent = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
    consent.write(b"%PDF-1.4 consent signed by her"); consent.close()
    browser.find_element("id", "f-consent").send_keys(consent.name)
    click_and_wait(browser, browser.find_element("id", "save-service"))
    assert "随访已安排" in browser.find_element("id", "notice").text
    assert browser.find_element("link text", "知情同意书扫描件").get_attribute("href").endswith("/consent")
    services = browser.find_element("id", "services").text
    assert "放置宫内节育器" in services and "介绍 5 种" in services and "MEC 1" in services
    shot(browser, "service-recorded")

    # the grid worker, on a phone: the follow-up is on the task list, without the method
    sign_in(phone, "e2egrid", PASSWORD)
    phone.get(BASE + "/tasks")
    assert sideways(phone) <= 0
    row = phone.find_element("css selector", "#tasks-table tr.task-follow-up")
    assert "常晓梅" in row.text and "宫内" not in phone.find_element("tag name", "main").text
    shot(phone, "grid-follow-up")
    click_and_wait(phone, row.find_element("link text", "记录随访"))
    assert sideways(phone) <= 0
    Select(phone.find_element("id", "f-findings")).select_by_value("normal")
    click_and_wait(phone, phone.find_element("id", "save-visit"))
    assert "已记录" in phone.find_element("id", "notice").text
    # the visit is off the list; the next one opens in two months
    assert not phone.find_elements("css selector", "#tasks-table tr.task-follow-up")

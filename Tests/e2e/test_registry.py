"""The registry as a community worker uses it: register a person, find them again."""
from selenium.webdriver.support.ui import Select

from conftest import BASE, click_and_wait, set_date, shot, sign_in


def test_register_then_search(browser):
    sign_in(browser)
    browser.get(BASE + "/persons/new")
    browser.find_element("id", "f-name").send_keys("周晓燕")
    id_field = browser.find_element("id", "f-idNumber")
    id_field.send_keys("310114199205200020")
    browser.find_element("id", "f-address").click()  # leaving the field fires "change"
    # birth date and sex follow the number as soon as it is typed
    assert browser.find_element("id", "f-birthDate").get_attribute("value") == "1992-05-20"
    assert Select(browser.find_element("id", "f-sex")).first_selected_option.get_attribute("value") == "2"
    Select(browser.find_element("id", "f-unit")).select_by_value("310114001001")
    Select(browser.find_element("id", "f-maritalStatus")).select_by_value("21")
    browser.find_element("id", "f-address").send_keys("白银路 88 号")
    click_and_wait(browser, browser.find_element("id", "save-person"))
    assert browser.find_element("tag name", "h1").text == "周晓燕"
    assert "1992-05-20" in browser.page_source
    shot(browser, "person")

    # find her by part of the name, and among women of reproductive age
    browser.get(BASE + "/persons")
    browser.find_element("id", "f-q").send_keys("晓燕")
    browser.find_element("css selector", ".more-filters summary").click()  # the other filters on demand
    Select(browser.find_element("id", "f-wra")).select_by_value("1")
    click_and_wait(browser, browser.find_element("id", "search-submit"))
    table = browser.find_element("id", "persons-table")
    assert "周晓燕" in table.text
    assert "共 1 人" in browser.page_source
    assert "full=1" not in browser.find_element("id", "export-csv").get_attribute("href")  # masked unless asked

    # the last six characters of her ID number find her too
    browser.get(BASE + "/persons?q=200020")
    assert "周晓燕" in browser.find_element("id", "persons-table").text

    # a search for men does not find her
    browser.get(BASE + "/persons?name=%E6%99%93%E7%87%95&sex=1")
    assert "周晓燕" not in browser.find_element("id", "persons-table").text


def test_birth_then_move(browser):
    sign_in(browser)
    # the mother
    browser.get(BASE + "/persons/new")
    browser.find_element("id", "f-name").send_keys("吴佳怡")
    browser.find_element("id", "f-idNumber").send_keys("310114199408080049")
    Select(browser.find_element("id", "f-unit")).select_by_value("310114001001")
    click_and_wait(browser, browser.find_element("id", "save-person"))
    mother_url = browser.current_url

    # a birth recorded on her page opens the child's page, which names her; the birth form asks for
    # the newborn, not for a spouse or a place
    click_and_wait(browser, browser.find_element("id", "event-birth"))
    assert not browser.find_elements("id", "f-place") and not browser.find_elements("id", "f-unit")
    set_date(browser, "f-day", "2025-10-01")
    browser.find_element("id", "f-childName").send_keys("吴小宝")
    browser.find_element("id", "f-childIdNumber").send_keys("310114202510010017")
    click_and_wait(browser, browser.find_element("id", "event-submit"))
    assert browser.find_element("tag name", "h1").text == "吴小宝"
    timeline = browser.find_element("id", "timeline").text
    assert "出生" in timeline and "母亲：吴佳怡" in timeline
    shot(browser, "child")

    # the mother moves out: her page shows it, and her status follows
    browser.get(mother_url)
    click_and_wait(browser, browser.find_element("id", "event-move-out"))
    assert not browser.find_elements("id", "f-childName")
    set_date(browser, "f-day", "2025-11-01")
    browser.find_element("id", "f-place").send_keys("江苏省苏州市")
    click_and_wait(browser, browser.find_element("id", "event-submit"))
    timeline = browser.find_element("id", "timeline").text
    assert "迁出" in timeline and "江苏省苏州市" in timeline
    assert "已迁出" in browser.page_source

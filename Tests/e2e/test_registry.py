"""The registry as a community worker uses it: register a person, find them again."""
from selenium.webdriver.support.ui import Select

from conftest import BASE, click_and_wait, shot, sign_in


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
    browser.find_element("id", "f-name").send_keys("晓燕")
    Select(browser.find_element("id", "f-wra")).select_by_value("1")
    click_and_wait(browser, browser.find_element("id", "search-submit"))
    table = browser.find_element("id", "persons-table")
    assert "周晓燕" in table.text
    assert "共 1 人" in browser.page_source
    assert "mask=1" in browser.find_element("id", "export-masked").get_attribute("href")

    # a search for men does not find her
    browser.get(BASE + "/persons?name=%E6%99%93%E7%87%95&sex=1")
    assert "周晓燕" not in browser.find_element("id", "persons-table").text

"""Birth registration in the browser: a couple applies on a phone without an account, keeps the
tracking number, and follows the application by number and the last four characters of an ID
number; neither page shows a name or an ID number unmasked. The community worker then registers it
from the task list."""
import datetime
import re

from selenium.webdriver.support.ui import Select

from conftest import BASE, PASSWORD, click_and_wait, set_date, shot, sign_in
from test_daily_use import sideways, sign_out
from test_migrants import id_number

MOTHER, FATHER = id_number("31011419940312002"), id_number("31011419920708011")


def unmasked(text):
    return "韦秀" in text or "甘力" in text or MOTHER in text or FATHER in text


def test_a_couple_applies_online_and_follows_it(phone, browser):
    phone.get(BASE + "/public/births/apply")
    assert sideways(phone) <= 0
    Select(phone.find_element("id", "f-unit")).select_by_visible_text("白银路社区")
    phone.find_element("id", "f-motherName").send_keys("韦秀")
    phone.find_element("id", "f-motherIDNumber").send_keys(MOTHER)
    phone.find_element("id", "f-fatherName").send_keys("甘力")
    phone.find_element("id", "f-fatherIDNumber").send_keys(FATHER)
    set_date(phone, "f-expectedOn", (datetime.date.today() + datetime.timedelta(days=150)).isoformat())
    # without the pledge the form comes back and says why
    click_and_wait(phone, phone.find_element("id", "submit-application"))
    assert "承诺" in phone.find_element("id", "e-pledge").text
    phone.find_element("id", "f-pledge").click()
    click_and_wait(phone, phone.find_element("id", "submit-application"))
    answer = phone.find_element("tag name", "main").text
    number = re.search(r"SY-\d{4}-[A-Z0-9]{8}", answer).group(0)
    assert "已提交" in answer and not unmasked(phone.page_source)
    shot(phone, "birth-applied")

    phone.get(BASE + "/public/births/status")
    phone.find_element("id", "f-number").send_keys(number)
    phone.find_element("id", "f-id4").send_keys(FATHER[-4:])
    click_and_wait(phone, phone.find_element("id", "look-up"))
    facts = phone.find_element("id", "public-facts").text
    assert number in facts and "已提交" in facts and not unmasked(phone.page_source)
    assert sideways(phone) <= 0

    # the community worker registers it from the task list
    sign_in(browser, "e2ecommunity", PASSWORD)
    browser.get(BASE + "/tasks?kind=birth-registration")
    click_and_wait(browser, browser.find_element("link text", "办理"))
    Select(browser.find_element("id", "f-decision")).select_by_value("register")
    click_and_wait(browser, browser.find_element("id", "save-decision"))
    assert "已登记" in browser.find_element("id", "notice").text
    click_and_wait(browser, browser.find_element("id", "print-voucher"))
    assert browser.find_element("css selector", "#voucher svg")
    browser.get(BASE + "/")
    sign_out(browser)

    phone.get(BASE + "/public/births/status?number=" + number + "&id4=" + MOTHER[-4:])
    assert "已登记" in phone.find_element("id", "public-facts").text and not unmasked(phone.page_source)

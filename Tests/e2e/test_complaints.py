"""Complaints in the browser: a resident files an anonymous complaint on a phone and keeps the
tracking code; the deadline shown counts working days past the public holiday the test server's
calendar has in the coming days (RENKOU_E2E_HOLIDAY, set by scripts/test); the district passes it
to the community worker, who answers; the resident reopens it by its code, the worker answers
again, and she rates it. No page she sees shows a worker's name or anything of hers."""
import datetime
import os
import re
import zoneinfo

from selenium.webdriver.support.ui import Select

from conftest import BASE, PASSWORD, USER, click_and_wait, shot, sign_in
from test_daily_use import sideways, sign_out


def working_days_after(start, n, holidays):
    day = start
    while n > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            n -= 1
    return day


def track(phone, code):
    phone.get(BASE + "/public/complaints/track?code=" + code)
    return phone.find_element("id", "public-facts").text


def answer(browser, text):
    browser.get(BASE + "/complaints")
    click_and_wait(browser, browser.find_element("css selector", "#complaints tbody tr a"))
    browser.find_element("id", "f-answer").send_keys(text)
    click_and_wait(browser, browser.find_element("id", "answer"))
    assert browser.find_element("id", "case-answer").text == text


def test_an_anonymous_complaint_is_answered_reopened_answered_again_and_rated(phone, browser):
    holiday = datetime.date.fromisoformat(os.environ["RENKOU_E2E_HOLIDAY"])
    phone.get(BASE + "/public/complaints")
    assert sideways(phone) <= 0
    Select(phone.find_element("id", "f-category")).select_by_value("service")
    Select(phone.find_element("id", "f-unit")).select_by_visible_text("白银路社区")
    phone.find_element("id", "f-subject").send_keys("窗口午间无人")
    phone.find_element("id", "f-body").send_keys("中午十二点去社区办生育登记，窗口没有人。")
    # named but without a name: the form says why and keeps what was typed
    click_and_wait(phone, phone.find_element("id", "submit-complaint"))
    assert "姓名" in phone.find_element("id", "e-name").text
    assert phone.find_element("id", "f-body").get_attribute("value").startswith("中午十二点")
    phone.find_element("id", "f-anonymous").click()
    click_and_wait(phone, phone.find_element("id", "submit-complaint"))
    code = phone.find_element("id", "tracking-code").text
    assert re.fullmatch(r"TS-\d{4}-[A-Z0-9]{10}", code)
    shot(phone, "complaint-filed")
    facts = track(phone, code)
    # the server's day is Shanghai's (RENKOU_TIME_ZONE unset)
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    due = working_days_after(today, 15, {holiday})
    assert due.isoformat() in facts and "已受理" in facts
    assert sideways(phone) <= 0

    # the district passes it to the community worker
    sign_in(browser, USER, PASSWORD)
    browser.get(BASE + "/complaints")
    assert code in browser.find_element("id", "complaints").text
    click_and_wait(browser, browser.find_element("link text", code))
    assert browser.find_element("id", "complainant").text == "匿名"
    browser.find_element("id", "f-handler").send_keys("e2ecommunity")
    click_and_wait(browser, browser.find_element("id", "assign"))
    assert "已交办" in browser.find_element("id", "case-state").text
    sign_out(browser)

    sign_in(browser, "e2ecommunity", PASSWORD)
    answer(browser, "已安排午间轮流值班。")
    sign_out(browser)

    # not resolved: she reopens it by its code; a new deadline from today
    track(phone, code)
    assert "已安排午间轮流值班。" in phone.find_element("id", "public-answer").text
    phone.find_element("id", "f-reason").send_keys("今天中午去还是没有人。")
    click_and_wait(phone, phone.find_element("id", "ask-again"))
    assert "已重新办理" in phone.find_element("id", "public-facts").text

    sign_in(browser, "e2ecommunity", PASSWORD)
    answer(browser, "已在窗口张贴午间值班电话，并安排专人值守。")
    sign_out(browser)

    track(phone, code)
    phone.find_element("id", "rate-4").click()
    phone.find_element("id", "f-partly").click()
    click_and_wait(phone, phone.find_element("id", "send-rating"))
    facts = phone.find_element("id", "public-facts").text
    assert "已办结" in facts and "4 / 5" in facts and "部分解决" in facts
    history = phone.find_element("id", "public-history").text
    assert history.count("已答复") == 2 and "已重新办理" in history
    # nothing of the office's people on her pages
    assert "e2ecommunity" not in phone.page_source and "e2eadmin" not in phone.page_source
    shot(phone, "complaint-rated")

"""Check-up rounds in the browser: the community's family-planning worker opens this season's round
on a phone and records a woman's results; the grid worker sees the round's coverage but not its list,
prints the round sheet of the task list, and reads the week's report."""
import datetime

from selenium.webdriver.support.ui import Select

from conftest import BASE, PASSWORD, click_and_wait, set_date, shot, sign_in
from test_daily_use import GRID, sideways, sign_out
from test_migrants import id_number


def test_community_worker_runs_a_round_on_a_phone(browser, phone):
    sign_in(browser)
    browser.get(BASE + "/persons/new")
    browser.find_element("id", "f-name").send_keys("秦素")
    browser.find_element("id", "f-idNumber").send_keys(id_number("31011419900812004"))
    Select(browser.find_element("id", "f-unit")).select_by_value(GRID)
    Select(browser.find_element("id", "f-maritalStatus")).select_by_value("20")
    click_and_wait(browser, browser.find_element("id", "save-person"))
    sign_out(browser)

    today = datetime.date.today()
    sign_in(phone, "e2ecommunity", PASSWORD)
    phone.get(BASE + "/checkups")
    assert sideways(phone) <= 0
    # a round that ends before it starts is refused, with the reason beside the field
    phone.find_element("id", "f-name").send_keys("冬季双查")
    set_date(phone, "f-startsOn", today.isoformat())
    set_date(phone, "f-endsOn", (today - datetime.timedelta(days=1)).isoformat())
    click_and_wait(phone, phone.find_element("id", "open-round"))
    assert "结束日期早于开始日期" in phone.find_element("id", "e-endsOn").text
    set_date(phone, "f-endsOn", (today + datetime.timedelta(days=20)).isoformat())
    click_and_wait(phone, phone.find_element("id", "open-round"))
    assert "已开始冬季双查" in phone.find_element("id", "notice").text
    round_url = phone.current_url
    row = next(r for r in phone.find_elements("css selector", "#due-list tbody tr") if "秦素" in r.text)
    assert "查孕" in row.text and "查病" in row.text
    assert sideways(phone) <= 0
    click_and_wait(phone, row.find_element("link text", "记录结果"))
    Select(phone.find_element("id", "f-results/pregnancy")).select_by_value("negative")
    Select(phone.find_element("id", "f-results/gynaecological")).select_by_value("normal")
    click_and_wait(phone, phone.find_element("id", "save"))
    assert "已记录 秦素" in phone.find_element("id", "notice").text
    assert "%" in phone.find_element("id", "round-coverage").text
    shot(phone, "round-recorded")
    sign_out(phone)

    # the grid worker: the coverage, not the list; the round sheet and the week's report
    sign_in(phone, "e2egrid", PASSWORD)
    phone.get(round_url)
    assert "仅服务人员可见" in phone.find_element("tag name", "main").text
    assert not phone.find_elements("id", "due-list")
    phone.get(BASE + "/tasks/report")
    assert "周汇报" in phone.find_element("tag name", "h1").text and sideways(phone) <= 0
    assert "双查未查对象" in phone.find_element("tag name", "main").text
    sign_in(browser, "e2egrid", PASSWORD)
    browser.get(BASE + "/tasks")
    click_and_wait(browser, browser.find_element("id", "print-sheet"))
    assert browser.find_element("id", "round-sheet").is_displayed()
    shot(browser, "round-sheet")

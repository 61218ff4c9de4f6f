"""Daily use by the people the system is for: a community worker corrects a record the registry
flags; a grid worker on a 390 px phone registers a tenant from a roster task (the stay opens, the
task closes, no page of the path scrolls sideways); a leader reads figures and reports and no page of
people; a worker finds no export with ID numbers in clear.

scripts/test creates the accounts e2ecommunity (白银路社区), e2egrid (its first grid) and e2eviewer
(嘉定区, read only) with the admin's password."""
from selenium.webdriver.support.ui import Select

from conftest import BASE, PASSWORD, click_and_wait, set_date, shot, sign_in
from test_migrants import id_number

GRID = "310114001001-01"


def sign_out(driver):
    if driver.find_elements("id", "menu-button") and driver.find_element("id", "menu-button").is_displayed():
        driver.find_element("id", "menu-button").click()
    click_and_wait(driver, driver.find_element("id", "logout"))


def sideways(driver):
    """How far the page scrolls sideways (0 when it fits the screen)."""
    return driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")


def test_community_worker_corrects_a_flagged_record(browser):
    # the admin registers a married woman without her first-marriage date or hukou type
    sign_in(browser)
    browser.get(BASE + "/persons/new")
    browser.find_element("id", "f-name").send_keys("沈丽华")
    browser.find_element("id", "f-idNumber").send_keys(id_number("31011419880303002"))
    Select(browser.find_element("id", "f-unit")).select_by_value("310114001001")
    Select(browser.find_element("id", "f-maritalStatus")).select_by_value("20")
    click_and_wait(browser, browser.find_element("id", "save-person"))
    person_url = browser.current_url
    sign_out(browser)

    # the community worker sees the problems on the record and fixes them from there
    sign_in(browser, "e2ecommunity", PASSWORD)
    browser.get(person_url)
    problems = browser.find_element("id", "problems").text
    assert "已婚但缺初婚日期" in problems and "缺户口性质" in problems
    assert "K09" not in problems and "Q06" not in problems  # plain words, not rule codes
    assert not browser.find_elements("id", "delete-person")  # deleting stays with administrators
    click_and_wait(browser, browser.find_element("id", "fix-problems"))
    # the form opens on the fields that matter, the problems listed beside it
    assert "已婚但缺初婚日期" in browser.find_element("id", "form-problems").text
    assert browser.find_element("id", "f-firstMarriageDate").is_displayed()
    assert browser.find_element("id", "f-hukouType").is_displayed()
    assert not browser.find_element("id", "f-phone").is_displayed()  # folded under 其他项目
    shot(browser, "correct-form")
    set_date(browser, "f-firstMarriageDate", "2012-10-01")
    Select(browser.find_element("id", "f-hukouType")).select_by_value("resident")
    Select(browser.find_element("id", "f-ethnicGroup")).select_by_value("01")
    click_and_wait(browser, browser.find_element("id", "save-person"))
    assert browser.current_url == person_url
    assert "旧值记入审计日志" in browser.find_element("id", "notice").text
    # what the form fixed is gone; joining a household is done on the household page
    assert browser.find_element("id", "problems").text.strip() == "缺与户主关系（未入户）"
    assert "2012-10-01" in browser.find_element("tag name", "main").text
    # the notice shows once
    browser.get(person_url)
    assert not browser.find_elements("id", "notice")


def test_grid_worker_registers_a_tenant_from_a_roster_task_on_a_phone(browser, phone):
    tenant = id_number("51010419950412004")
    # the admin records a landlord in the grid, with a tenant the registry does not know
    sign_in(browser)
    browser.get(BASE + "/hosts/new")
    Select(browser.find_element("id", "f-kind")).select_by_value("landlord")
    browser.find_element("id", "f-name").send_keys("袁家出租屋")
    Select(browser.find_element("id", "f-unit")).select_by_value(GRID)
    browser.find_element("id", "f-address").send_keys("白银路 120 号")
    click_and_wait(browser, browser.find_element("id", "save"))
    browser.find_element("id", "f-rname").send_keys("袁小梅")
    browser.find_element("id", "f-ridNumber").send_keys(tenant)
    browser.find_element("id", "f-room").send_keys("502")
    set_date(browser, "f-since", "2026-11-01")
    click_and_wait(browser, browser.find_element("css selector", "#roster-add-form button[type=submit]"))

    # the grid worker, on a phone: the workbench gives the task, the menu folds away
    sign_in(phone, "e2egrid", PASSWORD)
    assert sideways(phone) <= 0
    assert phone.find_element("id", "menu-button").is_displayed()
    assert not phone.find_element("css selector", ".main-nav").is_displayed()
    card = phone.find_element("id", "home-tasks")
    assert "袁小梅" in card.text
    shot(phone, "grid-home")
    phone.get(BASE + "/tasks")
    assert sideways(phone) <= 0
    row = phone.find_element("css selector", "#tasks-table tr.task-register")
    assert "袁小梅" in row.text
    shot(phone, "grid-tasks")
    click_and_wait(phone, row.find_element("link text", "去登记"))
    assert sideways(phone) <= 0
    # the form arrives filled from the roster and the landlord
    assert phone.find_element("id", "f-name").get_attribute("value") == "袁小梅"
    assert phone.find_element("id", "f-idNumber").get_attribute("value") == tenant
    assert Select(phone.find_element("id", "f-unit")).first_selected_option.get_attribute("value") == GRID
    assert Select(phone.find_element("id", "f-category")).first_selected_option.get_attribute("value") == "inflow"
    assert phone.find_element("id", "f-address").get_attribute("value") == "白银路 120 号"
    assert phone.find_element("id", "f-room").get_attribute("value") == "502"
    assert phone.find_element("id", "f-hukouRegion").get_attribute("value") == "510104"
    shot(phone, "grid-register")
    click_and_wait(phone, phone.find_element("id", "save-person"))
    assert phone.find_element("tag name", "h1").text == "袁小梅"
    assert "已登记" in phone.find_element("id", "notice").text
    assert sideways(phone) <= 0
    stays = phone.find_element("id", "stays").text
    assert "袁家出租屋" in stays and "2026-11-01" in stays and "流入" in stays
    shot(phone, "grid-person")
    # the task is done
    phone.get(BASE + "/tasks")
    assert "袁小梅" not in phone.find_element("tag name", "main").text
    # no page of the worker's daily path scrolls sideways
    for path in ("/", "/tasks", "/persons", "/households", "/migrants", "/hosts", "/certificates", "/quality"):
        phone.get(BASE + path)
        assert sideways(phone) <= 0, path


def test_leader_sees_figures_and_no_person(browser):
    sign_in(browser, "e2eviewer", PASSWORD)
    # the leaders' account reads the dashboards and the monthly reports, and no page of people
    browser.get(BASE + "/reports")
    assert browser.find_element("id", "report-rates").is_displayed()
    browser.get(BASE + "/dashboard")
    assert "403" not in browser.find_element("tag name", "main").text
    for path in ("/persons", "/persons/export.csv", "/households", "/tasks"):
        browser.get(BASE + path)
        assert "403" in browser.find_element("tag name", "main").text, path
    sign_out(browser)


def test_worker_finds_no_unmasked_export(browser):
    sign_in(browser, "e2ecommunity", PASSWORD)
    browser.get(BASE + "/persons")
    # the export is masked and says how many rows it holds; there is no form for names in clear
    browser.find_element("css selector", "#export summary").click()
    assert "已脱敏" in browser.find_element("id", "export").text
    assert not browser.find_elements("id", "export-full")
    body = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done);",
        browser.find_element("id", "export-csv").get_attribute("href"))
    lines = body.strip().splitlines()
    assert len(lines) >= 2 and "**********" in lines[1]
    # asking for the full list by hand is refused
    browser.get(BASE + "/persons/export.csv?full=1&reason=test")
    assert "403" in browser.find_element("tag name", "main").text
    sign_out(browser)

    # the administrator may, with a reason
    sign_in(browser)
    browser.get(BASE + "/persons")
    browser.find_element("css selector", "#export summary").click()
    assert browser.find_element("id", "export-full").is_displayed()
    assert browser.find_element("id", "f-reason").get_attribute("required") is not None

"""Floating population in the browser: a landlord's roster upload turns an unknown tenant into a
registration task, registering her closes it; a certificate's printed QR code scans (decoded with
zbar from a screenshot) and opens the public page, which shows masked facts only, without login."""
import io
import os
import tempfile

from PIL import Image
from pyzbar.pyzbar import decode
from selenium.webdriver.support.ui import Select

from conftest import BASE, click_and_wait, make_driver, set_date, shot, sign_in

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(first17):
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


KNOWN = id_number("51010419960506002")      # 罗春燕, registered before the upload
UNKNOWN = id_number("51010419970708004")    # 马小芳, only on the roster


def register_person(browser, name, number):
    browser.get(BASE + "/persons/new")
    browser.find_element("id", "f-name").send_keys(name)
    browser.find_element("id", "f-idNumber").send_keys(number)
    Select(browser.find_element("id", "f-unit")).select_by_value("310114001001")
    click_and_wait(browser, browser.find_element("id", "save-person"))
    assert browser.find_element("tag name", "h1").text == name
    return browser.current_url


def new_landlord(browser, name):
    browser.get(BASE + "/hosts")
    click_and_wait(browser, browser.find_element("id", "new-host"))
    Select(browser.find_element("id", "f-kind")).select_by_value("landlord")
    browser.find_element("id", "f-name").send_keys(name)
    Select(browser.find_element("id", "f-unit")).select_by_value("310114001001")
    browser.find_element("id", "f-address").send_keys("白银路 66 号")
    click_and_wait(browser, browser.find_element("id", "save"))
    assert browser.find_element("tag name", "h1").text.startswith(name)
    return browser.current_url


def test_roster_upload_then_registration(browser):
    sign_in(browser)
    register_person(browser, "罗春燕", KNOWN)
    host_url = new_landlord(browser, "罗房东")

    path = os.path.join(tempfile.mkdtemp(), "租户花名册.csv")
    with open(path, "wb") as f:
        f.write(f"姓名,公民身份号码,房号,入住日期\r\n罗春燕,{KNOWN},201,2026/3/1\r\n马小芳,{UNKNOWN},202,\r\n坏行,12345,203,\r\n".encode("gb18030"))
    browser.find_element("id", "f-file").send_keys(path)
    click_and_wait(browser, browser.find_element("id", "roster-upload"))
    shot(browser, "roster-result")
    # every row accounted for: one matched, one unknown (a task), one rejected with its reason
    assert [browser.find_element("id", i).text for i in ("r-read", "r-added", "r-unregistered", "r-rejected")] == ["3", "1", "1", "1"]
    problems = browser.find_element("id", "roster-problems").text
    assert "4" in problems and "12345" in problems
    roster = browser.find_element("id", "roster").text
    assert "罗春燕" in roster and "马小芳" in roster

    # the unknown tenant is on the task list; its link opens the registration form, filled in from
    # the roster and the landlord (unit, address, room, 流入, hukou region from the number)
    browser.get(BASE + "/tasks")
    row = browser.find_element("css selector", "#tasks-table tr.task-register")
    assert "马小芳" in row.text
    click_and_wait(browser, row.find_element("link text", "去登记"))
    assert browser.find_element("id", "f-idNumber").get_attribute("value") == UNKNOWN
    assert browser.find_element("id", "f-name").get_attribute("value") == "马小芳"
    assert Select(browser.find_element("id", "f-unit")).first_selected_option.get_attribute("value") == "310114001001"
    assert browser.find_element("id", "f-room").get_attribute("value") == "202"
    click_and_wait(browser, browser.find_element("id", "save-person"))

    # saving opened her stay with the landlord, closed the registration task and linked the roster
    stays = browser.find_element("id", "stays").text
    assert "罗房东" in stays and "流入" in stays
    browser.get(BASE + "/tasks")
    assert "马小芳" not in browser.find_element("tag name", "main").text
    browser.get(host_url)
    assert "去登记" not in browser.find_element("id", "roster").text


def test_printed_qr_code_opens_the_masked_public_page(browser):
    sign_in(browser)
    person_url = register_person(browser, "欧阳晓红", id_number("31011419930909002"))
    click_and_wait(browser, browser.find_element("id", "issue-certificate"))
    # she lives at home: the form asks whether she is leaving, and for a confirmation of her facts
    assert "欧阳晓红" in browser.find_element("tag name", "h1").text and browser.find_element("id", "holder-facts").is_displayed()
    click_and_wait(browser, browser.find_element("id", "save"))
    assert browser.find_element("id", "e-confirm").is_displayed()
    Select(browser.find_element("id", "f-leaving")).select_by_value("1")
    Select(browser.find_element("id", "f-confirm")).select_by_value("1")
    click_and_wait(browser, browser.find_element("id", "save"))
    assert browser.find_element("id", "cert-state").text == "有效"
    # the revocation banner belongs to revoked ones
    assert not [a for a in browser.find_elements("css selector", "main p.alert") if a.text.startswith("原因")]

    # the card print: screenshot the QR code and decode it as a phone would
    click_and_wait(browser, browser.find_element("id", "print-card"))
    shot(browser, "certificate-card")
    png = browser.find_element("css selector", "#certificate-print .qr svg").screenshot_as_png
    image = Image.open(io.BytesIO(png)).convert("L").resize((400, 400), Image.NEAREST)
    codes = decode(image)
    assert codes, "the printed QR code does not scan"
    url = codes[0].data.decode()
    assert url.startswith(BASE + "/public/verify/")

    # a stranger without an account opens it: genuine, valid, masked
    stranger = make_driver(390, 844)
    try:
        stranger.get(url)
        shot(stranger, "public-verify")
        page = stranger.find_element("tag name", "main").text
        assert "有效" in stranger.find_element("id", "verdict").text
        assert "欧**红" in page and "3101**********" in page
        assert "欧阳晓红" not in page and "19930909" not in page
        assert not stranger.find_elements("id", "f-username") and "/login" not in stranger.current_url
        # a made-up code says so, and nothing else
        stranger.get(BASE + "/public/verify/AAAAAAAAAAAAAAAAAAAAAA")
        assert "未找到" in stranger.find_element("id", "verdict").text
    finally:
        stranger.quit()
    assert person_url

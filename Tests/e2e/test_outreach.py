"""Outreach on a phone: the community worker records a residents' training with the registry people
who came, the materials handed out and a photo taken at it (a real multipart upload from the
browser); the activity page shows who came (ID numbers masked) and the photo; the year's progress
counts it; no page scrolls sideways on a 390 px screen.

scripts/test creates e2ecommunity (白银路社区) with the admin's password."""
import base64
import os
import tempfile

from selenium.webdriver.support.ui import Select

from conftest import BASE, PASSWORD, click_and_wait, shot, sign_in
from test_daily_use import sideways
from test_migrants import id_number, register_person

# a 2 × 2 PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==")


def test_a_training_with_attendance_and_a_photo_on_a_phone(phone):
    number = id_number("31011419900909007")
    sign_in(phone, "e2ecommunity", PASSWORD)
    register_person(phone, "黄晓燕", number)

    phone.get(BASE + "/outreach/activities/new")
    assert sideways(phone) <= 1
    Select(phone.find_element("id", "f-kind")).select_by_value("training")
    Select(phone.find_element("id", "f-unit")).select_by_value("310114001001")
    phone.find_element("id", "f-topic").send_keys("避孕节育知情选择")
    # a training without its audience is sent back with the field marked, what was typed kept
    phone.find_element("id", "f-attendees").send_keys(number)
    phone.find_element("id", "f-materials").send_keys("宣传折页 120")
    click_and_wait(phone, phone.find_element("id", "save-activity"))
    assert "请选择培训对象" in phone.find_element("id", "activity-form").text
    assert phone.find_element("id", "f-topic").get_attribute("value") == "避孕节育知情选择"

    Select(phone.find_element("id", "f-audience")).select_by_value("resident")
    with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
        f.write(PNG)
    try:
        phone.find_element("id", "f-photo").send_keys(f.name)
        click_and_wait(phone, phone.find_element("id", "save-activity"))
    finally:
        os.unlink(f.name)
    shot(phone, "outreach-activity")
    attendees = phone.find_element("id", "attendees").text
    assert "黄晓燕" in attendees and number not in attendees and "*" in attendees
    assert "宣传折页 × 120" in phone.page_source
    img = phone.find_element("css selector", ".photos img")
    assert phone.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) == 2
    assert sideways(phone) <= 1

    phone.get(BASE + "/outreach")
    progress = phone.find_element("id", "progress").text
    assert "白银路社区" in progress and "1/12" in progress
    assert sideways(phone) <= 1

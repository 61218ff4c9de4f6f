"""The web shell as a person uses it: sign in, open the tree, switch language, see a field error, sign out."""
from conftest import BASE, USER, click_and_wait, shot, sign_in


def test_wrong_password_shows_the_error_next_to_the_field(browser):
    sign_in(browser, password="not-the-password")
    error = browser.find_element("id", "e-password")
    assert error.is_displayed()
    assert "用户名或密码错误" in error.text
    # the field itself is marked, and the username is kept
    assert browser.find_element("id", "f-password").get_attribute("aria-invalid") == "true"
    assert browser.find_element("id", "f-username").get_attribute("value") == USER
    shot(browser, "login-error")


def test_tree_language_field_error_and_sign_out(browser):
    # sign in: the start page in Chinese
    sign_in(browser)
    assert browser.find_element("tag name", "html").get_attribute("lang") == "zh-Hans"
    assert "工作台" in browser.find_element("tag name", "h1").text

    # open the tree: the district with its street and head counts
    click_and_wait(browser, browser.find_element("link text", "组织机构"))
    assert browser.find_element("tag name", "h1").text == "嘉定区"
    table = browser.find_element("id", "units-table")
    assert "新成路街道" in table.text
    shot(browser, "tree-zh")

    # switch to English: same page, English labels; the choice is remembered on the next page
    click_and_wait(browser, browser.find_element("id", "lang-switch"))
    assert browser.find_element("tag name", "html").get_attribute("lang") == "en"
    assert browser.find_element("tag name", "h1").text == "嘉定区"
    assert "Units below" in browser.page_source
    click_and_wait(browser, browser.find_element("link text", "新成路街道"))
    assert browser.find_element("tag name", "html").get_attribute("lang") == "en"

    # a bad code: the page comes back with the error next to the code field, the values kept
    browser.find_element("id", "f-code").send_keys("310114999001")
    browser.find_element("id", "f-childName").send_keys("错误社区")
    click_and_wait(browser, browser.find_element("id", "add-unit"))
    error = browser.find_element("id", "e-code")
    assert error.is_displayed()
    assert "does not belong under 310114001" in error.text
    assert browser.find_element("id", "f-childName").get_attribute("value") == "错误社区"
    shot(browser, "field-error-en")

    # a good code works
    code = browser.find_element("id", "f-code")
    code.clear()
    code.send_keys("310114001002")
    click_and_wait(browser, browser.find_element("id", "add-unit"))
    assert browser.find_element("tag name", "h1").text == "错误社区"

    # sign out: back to the sign-in page, and pages need signing in again
    click_and_wait(browser, browser.find_element("id", "logout"))
    assert "/login" in browser.current_url
    browser.get(BASE + "/units")
    assert "/login" in browser.current_url


def test_usable_on_a_phone(phone):
    sign_in(phone)
    phone.get(BASE + "/units")
    assert phone.find_element("id", "units-table").is_displayed()
    # nothing wider than the screen but the table's own scroll box
    overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shot(phone, "tree-phone")

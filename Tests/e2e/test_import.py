"""A street office imports a spreadsheet with mistakes in it: a dry run lists every problem by row,
then the valid rows go in, and the people can be found."""
import os
import tempfile

from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BASE, click_and_wait, shot, sign_in

ROWS = [
    "姓名,公民身份号码,性别,出生日期,民族,户口性质,婚姻状况,初婚日期,户号,与户主关系,现居住地址,联系电话",
    "钱浩然,310114198001010036,男,1980/1/1,汉族,非农业,已婚,2005年5月1日,E2E001,户主,白银路 9 号,13900000001",
    "孙丽华,３１０１１４１９８２０２０２００４６,女,19820202,汉,非农业,初婚,20050501,E2E001,配偶,白银路 9 号,",
    "钱小明,310114201003030019,男,40240,汉族,居民,未婚,,E2E001,子,白银路 9 号,",
    "错校验,310114198001010030,男,1980-01-01,汉族,,,,,,,",
    "无民族,310114198505050015,男,1985-05-05,火星族,,,,,,,",
]


def finished(browser):
    WebDriverWait(browser, 30).until(lambda d: d.find_elements("id", "import-outcome") or d.find_elements("id", "import-error"))


def test_import_with_errors_then_valid_rows(browser):
    sign_in(browser)
    path = os.path.join(tempfile.mkdtemp(), "居民名单.csv")
    with open(path, "wb") as f:
        f.write(("\r\n".join(ROWS) + "\r\n").encode("gb18030"))

    browser.get(BASE + "/persons")
    click_and_wait(browser, browser.find_element("id", "import-persons"))
    Select(browser.find_element("id", "f-unit")).select_by_value("310114001001")
    browser.find_element("id", "f-file").send_keys(path)
    browser.find_element("id", "import-check").click()
    finished(browser)

    # the dry run: counts, every problem with its row and column, nothing written yet
    assert browser.find_element("id", "count-read").text == "5"
    assert browser.find_element("id", "count-imported").text == "3"
    assert browser.find_element("id", "count-rejected").text == "2"
    problems = browser.find_element("id", "import-problems").text
    assert "5" in problems and "公民身份号码" in problems and "校验位" in problems
    assert "6" in problems and "民族" in problems and "火星族" in problems
    assert "GB18030" in browser.page_source
    assert browser.find_element("id", "import-report").get_attribute("href").endswith("/report.csv")
    shot(browser, "import-dry-run")

    # import the valid rows only
    click_and_wait(browser, browser.find_element("id", "import-valid"))
    finished(browser)
    assert browser.find_element("id", "count-imported").text == "3"
    assert "导入完成" in browser.find_element("id", "import-outcome").text

    # the people are there, full-width digits normalised, the household made
    browser.get(BASE + "/persons?id=310114198202020046")
    assert "孙丽华" in browser.find_element("id", "persons-table").text
    browser.get(BASE + "/households?number=E2E001")
    assert "E2E001" in browser.page_source

"""Crashes mid-write: a `renkou import` killed with SIGKILL in the middle of a large file leaves the
database as it was before the run (each import is one transaction: all or nothing, valid rows only,
a roster upload and a department file alike), the database opens and works afterwards, and running
the same import again finishes with every row accounted for and nothing twice.

Both engines: SQLite (a file beside the test) and PostgreSQL (RENKOU_CRASH_POSTGRES_URL, an empty
database). scripts/test runs this with RENKOU_BIN (the built binary) and RENKOU_PSQL.
"""
import json
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import tempfile
import time
from datetime import date, timedelta

import pytest

BIN = os.environ.get("RENKOU_BIN", ".build/debug/renkou")
PG = os.environ.get("RENKOU_CRASH_POSTGRES_URL")
PSQL = os.environ.get("RENKOU_PSQL", "/usr/lib/postgresql/15/bin/psql")
# Rows per file, per engine: enough that a run lasts several seconds on this machine's kind in a
# debug build (PostgreSQL's round trips make it the slower). Each row carries an address of about 200
# bytes, so that every file spans several of the reader's 256 KB chunks and the progress bar (the share
# of the file read, batches written as it goes) passes 40 % well before the end.
ROWS = {"sqlite": 12000, "postgres": 5000}
SIDE = {"sqlite": 4000, "postgres": 2000}
PAD = "号楼" * 60
TODAY = date.today()


def check_char(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def id_number(k, broken=False):
    """A valid ID number (hukou 320583), different for each k; `broken` gives it a wrong check character."""
    born = date(1970, 1, 1) + timedelta(days=k // 450)
    first17 = "320583" + born.strftime("%Y%m%d") + "%03d" % (k % 450 + 100)
    good = check_char(first17)
    return first17 + (("1" if good != "1" else "2") if broken else good)


class Database:
    def __init__(self, engine, work):
        self.engine = engine
        if engine == "sqlite":
            self.url = "sqlite:" + os.path.join(work, "crash.sqlite")
        else:
            self.url = PG
            # an empty database: drop whatever an earlier run left
            subprocess.run([PSQL, PG, "-qtAc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True, capture_output=True)

    def scalar(self, sql):
        if self.engine == "sqlite":
            with sqlite3.connect(self.url[len("sqlite:"):]) as c:
                return c.execute(sql).fetchone()[0]
        out = subprocess.run([PSQL, self.url, "-tAc", sql], capture_output=True, text=True, check=True).stdout
        return int(out.strip())

    def renkou(self, *args, check=True):
        r = subprocess.run([BIN, *args], env=dict(os.environ, RENKOU_DATABASE_URL=self.url), capture_output=True, text=True, timeout=900)
        if check:
            assert r.returncode == 0, (args, r.stdout[-2000:], r.stderr[-2000:])
        return r

    def summary(self, *args, expect_rc=0):
        r = self.renkou(*args, check=False)
        assert r.returncode == expect_rc, (args, r.stdout[-2000:], r.stderr[-2000:])
        return json.loads(r.stdout.strip().splitlines()[-1])

    def killed_midway(self, args, until_percent):
        """Runs `renkou ARGS` (standard error on a terminal, so that the import draws its progress bar)
        and kills it with SIGKILL once the bar shows `until_percent` or `after_seconds` have passed.
        Asserts it was still running then. (Each import is one transaction: the killed one must leave
        nothing. On SQLite the uncommitted pages stay in the connection's cache, so this proves there
        is no intermediate commit; on PostgreSQL the server rolls the dead session back.)"""
        master, slave = pty.openpty()
        p = subprocess.Popen([BIN, *args], env=dict(os.environ, RENKOU_DATABASE_URL=self.url),
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        started, seen = time.time(), b""
        try:
            while p.poll() is None and time.time() - started < 600:
                ready, _, _ = select.select([master], [], [], 0.05)
                if ready:
                    try:
                        seen += os.read(master, 4096)
                    except OSError:
                        pass
                shown = [int(x) for x in re.findall(rb"(\d+)%", seen)]
                if shown and until_percent <= shown[-1] < 100:
                    p.send_signal(signal.SIGKILL)
                    break
        finally:
            if p.poll() is None:
                p.kill()
            p.wait()
            os.close(master)
        shown = [int(x) for x in re.findall(rb"(\d+)%", seen)]
        assert p.returncode == -signal.SIGKILL, "the import ended (%s, progress %s) before it could be killed: make the file larger" % (p.returncode, shown[-3:])
        return seen

    def integrity(self):
        """Nothing half-written: every gram and membership has its person, every household a member; ID numbers are unique."""
        assert self.scalar("SELECT COUNT(*) FROM person_name_grams g WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = g.person_id)") == 0
        assert self.scalar("SELECT COUNT(*) FROM household_members m WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = m.person_id)") == 0
        assert self.scalar("SELECT COUNT(*) - COUNT(DISTINCT id_number) FROM persons WHERE id_number IS NOT NULL") == 0
        assert self.scalar("SELECT COUNT(*) FROM households h WHERE h.number LIKE 'K%' AND NOT EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id)") == 0


def write_csv(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\r\n".join(lines) + "\r\n")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def db(request):
    if request.param == "postgres" and not PG:
        pytest.fail("RENKOU_CRASH_POSTGRES_URL is not set")
    with tempfile.TemporaryDirectory(prefix="renkou-crash-") as work:
        d = Database(request.param, work)
        d.work = work
        d.renkou("demo", "--persons", "300")
        if d.engine == "sqlite":
            with sqlite3.connect(d.url[len("sqlite:"):]) as c:
                d.community = c.execute("SELECT u.code FROM org_units u WHERE u.level = 'community' AND EXISTS (SELECT 1 FROM hosts h WHERE h.unit_id = u.id) ORDER BY u.code LIMIT 1").fetchone()[0]
                d.host = c.execute("SELECT h.id FROM hosts h JOIN org_units u ON u.id = h.unit_id WHERE u.code = ? ORDER BY h.id LIMIT 1", (d.community,)).fetchone()[0]
        else:
            q = lambda sql: subprocess.run([PSQL, d.url, "-tAc", sql], capture_output=True, text=True, check=True).stdout.strip()
            d.community = q("SELECT u.code FROM org_units u WHERE u.level = 'community' AND EXISTS (SELECT 1 FROM hosts h WHERE h.unit_id = u.id) ORDER BY u.code LIMIT 1")
            d.host = q("SELECT h.id FROM hosts h JOIN org_units u ON u.id = h.unit_id WHERE u.code = '%s' ORDER BY h.id LIMIT 1" % d.community)
        yield d


def test_person_import_killed_midway_then_run_again(db):
    ROWS = globals()["ROWS"][db.engine]
    people = db.scalar("SELECT COUNT(*) FROM persons")
    clean = os.path.join(db.work, "people.csv")
    write_csv(clean, ["姓名,公民身份号码,户号,与户主关系,现居住地址"] +
              ["人员%d,%s,K%05d,%s,白银路%d%s" % (k, id_number(k), k // 3, "户主" if k % 3 == 0 else "子", k, PAD) for k in range(ROWS)])
    # valid rows only, from a file with a wrong check character on every 500th row
    mixed = os.path.join(db.work, "mixed.csv")
    write_csv(mixed, ["姓名,公民身份号码,现居住地址"] + ["另%d,%s,金沙路%d%s" % (k, id_number(ROWS + k, broken=k % 500 == 7), k, PAD) for k in range(ROWS)])
    bad = len([k for k in range(ROWS) if k % 500 == 7])

    for path, extra, expected in [(clean, [], {"read": ROWS, "imported": ROWS, "updated": 0, "unchanged": 0, "rejected": 0}),
                                  (mixed, ["--valid-only"], {"read": ROWS, "imported": ROWS - bad, "updated": 0, "unchanged": 0, "rejected": bad})]:
        args = ["import", "persons", path, "--org", db.community, "--report", path + ".report.csv", *extra]
        db.killed_midway(args, until_percent=40)
        # the killed run left nothing: the database holds what it held before, and opens and works
        assert db.scalar("SELECT COUNT(*) FROM persons") == people
        db.integrity()
        # run again: every row accounted for, once
        assert db.summary(*args) == expected
        people += expected["imported"]
        assert db.scalar("SELECT COUNT(*) FROM persons") == people
        db.integrity()
        # and once more: nothing twice
        assert db.summary(*args)["imported"] == 0
        assert db.scalar("SELECT COUNT(*) FROM persons") == people
    assert db.scalar("SELECT COUNT(*) FROM household_members WHERE left_on IS NULL AND relation = '02' AND household_id IN (SELECT id FROM households WHERE number LIKE 'K%')") == (ROWS + 2) // 3


def test_roster_and_department_file_killed_midway_then_run_again(db):
    SIDE = globals()["SIDE"][db.engine]
    # the people the side files name, imported first
    people = os.path.join(db.work, "side-people.csv")
    write_csv(people, ["姓名,公民身份号码"] + ["租户%d,%s" % (k, id_number(50000 + k)) for k in range(SIDE)])
    db.summary("import", "persons", people, "--org", db.community, "--quiet")

    roster = os.path.join(db.work, "roster.csv")
    moved_in = (TODAY - timedelta(days=60)).isoformat()
    write_csv(roster, ["姓名,公民身份号码,房号,入住日期"] + ["租户%d,%s,%d室%s,%s" % (k, id_number(50000 + k), k, PAD, moved_in) for k in range(SIDE)])
    entries = lambda: db.scalar("SELECT COUNT(*) FROM roster_entries WHERE host_id = '%s' AND until IS NULL" % db.host)
    before = entries()
    db.killed_midway(["import", "roster", roster, "--host", db.host], until_percent=40)
    assert entries() == before
    first = db.summary("import", "roster", roster, "--host", db.host, "--quiet")
    assert first["read"] == SIDE and first["rejected"] == 0
    assert first["kept"] + first["added"] + first["unregistered"] + first["rejected"] == SIDE
    assert entries() == SIDE
    again = db.summary("import", "roster", roster, "--host", db.host, "--quiet")
    assert again["kept"] == SIDE and again["added"] == 0
    assert entries() == SIDE

    police = os.path.join(db.work, "police.csv")
    registered = (TODAY - timedelta(days=30)).isoformat()
    write_csv(police, ["类型,姓名,公民身份号码,暂住地址,日期"] + ["登记,租户%d,%s,白银路%d号%s,%s" % (k, id_number(50000 + k), k, PAD, registered) for k in range(SIDE)])
    proposals = lambda: db.scalar("SELECT COUNT(*) FROM proposals WHERE source = 'police' AND state = 'open'")
    before = proposals()
    db.killed_midway(["import", "department", police, "--kind", "police", "--org", db.community], until_percent=40)
    assert proposals() == before
    done = db.summary("import", "department", police, "--kind", "police", "--org", db.community, "--quiet")
    assert done["read"] == SIDE and done["rejected"] == 0
    assert done["matched"] + done["proposed"] + done["tasks"] + done["rejected"] == SIDE
    made = proposals()
    assert made - before == done["proposed"] > 0
    db.summary("import", "department", police, "--kind", "police", "--org", db.community, "--quiet")
    assert proposals() == made
    db.integrity()

"""The exchange between real nodes: three `renkou serve` processes on loopback, each with its own
database (A and the hub on SQLite, B on PostgreSQL), set up through the command line as an
operator would.

- A notice and an urgent request travel A -> hub -> B, and B's reply comes back B -> hub -> A.
- B is down for a while: what A sends waits and arrives once when B is back.
- A burst of messages sent directly A -> B with `kill -9` of A in the middle: none lost, none
  applied twice (sent = received = applied once, counted from both databases).
- A forged signature, a replayed message and an unknown peer are refused and recorded.

scripts/test runs this after the browser tests with RENKOU_BIN (the built binary) and
RENKOU_NODES_POSTGRES_URL (an empty database for B).
"""
import base64
import json
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

BIN = os.environ.get("RENKOU_BIN", ".build/debug/renkou")
PG = os.environ.get("RENKOU_NODES_POSTGRES_URL")
BURST = int(os.environ.get("RENKOU_NODES_BURST", "1500"))
PSQL = os.environ.get("RENKOU_PSQL", "/usr/lib/postgresql/15/bin/psql")


def received_at_b():
    """B's inbox, counted straight from its database (quicker than a CLI run, to time the kill)."""
    out = subprocess.run([PSQL, PG, "-tAc", "SELECT COUNT(*) FROM exchange_inbox"], capture_output=True, text=True, check=True).stdout
    return int(out.strip())


def check_char(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def id_number(k):
    """A valid ID number of a woman with hukou 420117, different for each k."""
    born = datetime(1988, 1, 1) + timedelta(days=k // 400)
    first17 = "420117" + born.strftime("%Y%m%d") + "%03d" % ((k % 400) * 2 + 100)
    return first17 + check_char(first17)


class Node:
    def __init__(self, name, database, code, port, work):
        self.name, self.database, self.code, self.port, self.work = name, database, code, port, work
        self.url = "http://127.0.0.1:%d" % port
        self.process = None
        self.log = open(os.path.join(work, name + ".log"), "ab")

    def cli(self, *args, check=True):
        env = dict(os.environ, RENKOU_DATABASE_URL=self.database, RENKOU_BCRYPT_COST="4")
        result = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError("%s %s: %s %s" % (self.name, args, result.stdout, result.stderr))
        return result.stdout

    def start(self):
        env = dict(os.environ, RENKOU_DATABASE_URL=self.database, RENKOU_BCRYPT_COST="4")
        self.process = subprocess.Popen([BIN, "serve", "--port", str(self.port)], env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.stop()
        raise AssertionError(self.name + " did not start")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self):
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()
            self.process = None

    def status(self):
        out = {}
        for line in self.cli("exchange", "status").splitlines():
            key, value = line.split("\t")
            out[key] = int(value)
        return out

    def identity(self, hub=False):
        args = ["exchange", "identity", "--code", self.code, "--url", self.url] + (["--hub"] if hub else [])
        return json.loads(self.cli(*args))

    def wait(self, what, predicate, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            value = self.status()
            if predicate(value):
                return value
            time.sleep(0.3)
        raise AssertionError("%s: %s not reached: %s" % (self.name, what, self.status()))


def tree(node, province, district):
    node.cli("migrate")
    node.cli("org", "add", "--code", province, "--name", "省", "--level", "province")
    node.cli("org", "add", "--code", district, "--name", "区", "--level", "district", "--parent", province)
    node.cli("org", "add", "--code", district + "001", "--name", "街道", "--level", "street", "--parent", district)
    node.cli("org", "add", "--code", district + "001001", "--name", "社区", "--level", "community", "--parent", district + "001")


def women(node, work, inflow, count):
    path = os.path.join(work, node.name + "-women.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("姓名,公民身份号码,性别,户籍地代码,人口类别\n")
        for k in range(count):
            f.write("测试%d,%s,2,420117,%s\n" % (k, id_number(k), "流入人口" if inflow else "户籍人口"))
    node.cli("import", "persons", path, "--org", node.code + "001001", "--quiet")


@pytest.fixture(scope="module")
def nodes():
    if not PG:
        pytest.skip("RENKOU_NODES_POSTGRES_URL is not set")
    work = tempfile.mkdtemp(prefix="renkou-nodes-")
    a = Node("a", "sqlite:" + os.path.join(work, "a.sqlite"), "310114", 18581, work)
    hub = Node("hub", "sqlite:" + os.path.join(work, "hub.sqlite"), "10", 18582, work)
    b = Node("b", PG, "420117", 18583, work)
    tree(a, "310000", "310114")
    tree(b, "420000", "420117")
    hub.cli("migrate")
    women(a, work, True, BURST + 10)
    women(b, work, False, BURST + 10)
    ia, ih, ib = a.identity(), hub.identity(hub=True), b.identity()
    assert ih["isHub"] is True
    # the districts know only the hub; the hub knows both
    a.cli("exchange", "peer", "add", "--code", "10", "--url", hub.url, "--key", ih["publicKey"], "--default")
    b.cli("exchange", "peer", "add", "--code", "10", "--url", hub.url, "--key", ih["publicKey"], "--default")
    hub.cli("exchange", "peer", "add", "--code", "310114", "--url", a.url, "--key", ia["publicKey"], "--areas", "31")
    hub.cli("exchange", "peer", "add", "--code", "420117", "--url", b.url, "--key", ib["publicKey"], "--areas", "42")
    try:
        for n in (a, hub, b):
            n.start()
    except AssertionError:
        for n in (a, hub, b):
            n.stop()
        raise
    yield {"a": a, "hub": hub, "b": b, "keys": {"a": ia, "hub": ih, "b": ib}, "work": work}
    for n in (a, hub, b):
        n.stop()
    for name in ("a.sqlite", "hub.sqlite"):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(os.path.join(work, name + suffix)):
                os.remove(os.path.join(work, name + suffix))


def test_a_request_and_its_reply_travel_through_the_hub(nodes):
    a, hub, b = nodes["a"], nodes["hub"], nodes["b"]
    sent = json.loads(a.cli("exchange", "request", "--id-number", id_number(0), "--question", "pregnancy", "--urgent"))
    assert sent["receiver"] == "420117" and sent["deadline"]
    # an unknown woman at B: B answers at once, 查无此人
    first17 = "42011719700101002"
    unknown = first17 + check_char(first17)
    # she is in A's registry only
    path = os.path.join(nodes["work"], "extra.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("姓名,公民身份号码,性别,户籍地代码,人口类别\n陈红,%s,2,420117,流入人口\n" % unknown)
    a.cli("import", "persons", path, "--org", "310114001001", "--quiet")
    a.cli("exchange", "request", "--id-number", unknown, "--question", "residence")
    b.wait("two requests in", lambda s: s.get("in", 0) >= 2)
    # the two requests and the not-found reply passed the hub, and went on
    hub.wait("forwarded", lambda s: s.get("in.forwarded", 0) == 3 and s.get("out.delivered", 0) == 3)
    # the known one is a visit on B's list; the reply to the unknown one came back through the hub
    assert b.status()["visits.open"] >= 1
    a.wait("the not-found reply", lambda s: s.get("in.applied", 0) >= 1)


def test_a_peer_down_for_a_while_gets_everything_once(nodes):
    a, hub, b = nodes["a"], nodes["hub"], nodes["b"]
    before = b.status().get("in", 0)
    b.stop()
    a.cli("exchange", "request", "--id-number", id_number(1), "--question", "contraception")
    # the hub takes it and keeps trying B (first retry after 10 s)
    hub.wait("a retry waiting", lambda s: s.get("out.pending", 0) >= 1)
    time.sleep(3)
    b.start()
    after = b.wait("the message after the outage", lambda s: s.get("in", 0) == before + 1, seconds=40)
    time.sleep(2.5)
    assert b.status()["in"] == after["in"]
    assert hub.status().get("out.pending", 0) == 0


def test_kill_minus_nine_in_a_burst_loses_and_duplicates_nothing(nodes):
    a, b = nodes["a"], nodes["b"]
    # A now reaches B directly (a peer for 42 beats the default route)
    a.cli("exchange", "peer", "add", "--code", "420117", "--url", b.url, "--key", nodes["keys"]["b"]["publicKey"], "--areas", "42")
    b.cli("exchange", "peer", "add", "--code", "310114", "--url", a.url, "--key", nodes["keys"]["a"]["publicKey"], "--areas", "31")
    ids_file = os.path.join(nodes["work"], "burst.txt")
    with open(ids_file, "w") as f:
        f.write("\n".join(id_number(k) for k in range(10, BURST + 10)))
    before_b = b.status()
    a.stop()
    lines = [json.loads(line) for line in a.cli("exchange", "request", "--file", ids_file, "--question", "marital-status").splitlines()]
    assert len(lines) == BURST and all(line.get("receiver") == "420117" for line in lines)
    a.start()
    # kill -9 while the burst is going out
    deadline = time.time() + 20
    while received_at_b() - before_b.get("in", 0) < BURST // 10 and time.time() < deadline:
        time.sleep(0.02)
    a.kill9()
    midway = b.status().get("in", 0) - before_b.get("in", 0)
    a.start()
    done = b.wait("the whole burst", lambda s: s.get("in", 0) - before_b.get("in", 0) >= BURST, seconds=120)
    a_status = a.wait("the outbox empty", lambda s: s.get("out.pending", 0) == 0)
    time.sleep(2.5)
    b_status = b.status()
    received = b_status["in"] - before_b.get("in", 0)
    visits = b_status["visits.open"] - before_b.get("visits.open", 0)
    print("burst %d: %d in before the kill, received %d, visits %d, A %s" % (BURST, midway, received, visits, a_status))
    assert 0 < midway < BURST, "the kill did not land in the middle of the burst"
    assert received == BURST
    assert visits == BURST and b_status["visits.open"] == b_status["visits.messages"]
    assert a_status["out.delivered"] >= BURST and a_status.get("out.failed", 0) == 0 and a_status.get("out.refused", 0) == 0
    assert done["in"] == b_status["in"]


def private_key(node):
    with sqlite3.connect(node.database[len("sqlite:"):]) as db:
        raw = db.execute("SELECT private_key FROM exchange_identity WHERE id = 1").fetchone()[0]
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw))


def post(node, body, sender, signature):
    request = urllib.request.Request(node.url + "/api/v1/exchange/inbox", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Renkou-Sender": sender, "Renkou-Signature": signature})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_forged_replayed_and_unknown_messages_are_refused_and_recorded(nodes):
    a, hub = nodes["a"], nodes["hub"]
    key = private_key(a)

    def message(sent_at):
        m = {"id": str(uuid.uuid4()), "kind": "notice", "businessKey": "stay:drill", "sender": "310114", "receiver": "10",
             "sentAt": sent_at, "deadlineClass": "none", "payloadVersion": 1, "payload": {"event": "stay-opened"},
             "subject": {"idNumber": id_number(2), "name": "测试2", "birthDate": None}}
        return json.dumps(m, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    good = message(now)
    status, ack = post(hub, good, "310114", base64.b64encode(key.sign(good)).decode())
    assert status == 202 and ack["status"] == "accepted"
    status, again = post(hub, good, "310114", base64.b64encode(key.sign(good)).decode())
    assert status == 200 and again["status"] == "duplicate"
    before = hub.status()
    forged = good.replace(b"stay-opened", b"stay-closed")
    assert post(hub, forged, "310114", base64.b64encode(key.sign(good)).decode())[1]["code"] == "bad-signature"
    old = message((datetime.now(timezone.utc) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    assert post(hub, old, "310114", base64.b64encode(key.sign(old)).decode())[1]["code"] == "replay-window"
    stranger = Ed25519PrivateKey.generate()
    assert post(hub, good, "990000", base64.b64encode(stranger.sign(good)).decode())[1]["code"] == "unknown-sender"
    after = hub.status()
    for reason in ("bad-signature", "replay-window", "unknown-sender"):
        assert after.get("rejected." + reason, 0) == before.get("rejected." + reason, 0) + 1

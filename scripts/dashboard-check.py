"""Browser check of the dashboard, run by scripts/dashboard-check (which starts the server and makes the venv).

    SE_OFFLINE=true python scripts/dashboard-check.py --url http://127.0.0.1:PORT --amqp amqp://… \
        --exchange NAME --screenshots DIR

Seeds the server through its API and with notifications on NAME, then drives Debian's chromium (headless) with
Selenium: the cloud admin's view, a member's view, a recharge seen on the page, the chart's bars against the API's
exact figures, and axe-core's rules (serious or critical violations fail). Exits 1 on the first failed check.
"""

import argparse
import datetime
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal

import pika
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ALPHA = "proj-alpha"
BETA = "proj-beta"
DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$")


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)
    print("  ok: " + message, flush=True)


class API:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            return error.code, None

    def ok(self, method, path, body=None):
        status, result = self.call(method, path, body)
        if status // 100 != 2:
            raise CheckFailed(f"{method} {path} answered {status}")
        return result


def seed(api):
    nova = api.ok("POST", "/v1/rules", {"rule": {"name": "nova", "spec": {
        "type": "os.nova.server", "version": "1.0",
        "properties": {"unit": "per_hour", "price_mapping": [
            {"flavor": "m1.small", "price": "3.6"}, {"flavor": "m1.large", "price": "36"}]}}}})["rule"]["id"]
    cinder = api.ok("POST", "/v1/rules", {"rule": {"name": "cinder", "spec": {
        "type": "os.cinder.volume", "version": "1.0",
        "properties": {"unit": "per_hour", "price_mapping": [{"start": 1, "end": 10, "price": "0.36"}]}}}})
    policy = api.ok("POST", "/v1/policies", {"policy": {"name": "standard", "rules": [nova, cinder["rule"]["id"]]}})
    api.ok("PUT", "/v1/policies/" + policy["policy"]["id"], {"policy": {"is_default": True}})
    api.ok("POST", f"/v1/users/{ALPHA}/action", {"recharge": {"value": "500"}})
    # proj-beta can pay for about 17 minutes of its large server: WARNING at once.
    api.ok("POST", f"/v1/users/{BETA}/action", {"recharge": {"value": "10"}})


def cloud_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000000")


def publish(amqp_url, exchange, midnight):
    """Nova and Cinder notifications (legacy format) in the oslo 2.0 envelope, and one that is rejected."""
    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    hour = datetime.timedelta(hours=1)
    notifications = [
        # proj-alpha: a small server from 12:00 three days ago to 12:00 yesterday, a volume since midnight
        # two days ago, still open.
        ("compute.instance.create.end", {"tenant_id": ALPHA, "instance_id": "vm-alpha", "instance_type": "m1.small",
                                         "launched_at": cloud_time(midnight - 3 * day + 12 * hour)}),
        ("compute.instance.delete.end", {"tenant_id": ALPHA, "instance_id": "vm-alpha", "instance_type": "m1.small",
                                         "deleted_at": cloud_time(midnight - day + 12 * hour)}),
        ("volume.create.end", {"tenant_id": ALPHA, "volume_id": "vol-alpha", "size": 5,
                               "launched_at": cloud_time(midnight - 2 * day)}),
        # proj-beta: a large server since a minute ago.
        ("compute.instance.create.end", {"tenant_id": BETA, "instance_id": "vm-beta", "instance_type": "m1.large",
                                         "launched_at": cloud_time(now - datetime.timedelta(minutes=1))}),
        # No instance id: rejected, with its reason.
        ("compute.instance.create.end", {"tenant_id": BETA, "instance_type": "m1.small",
                                         "launched_at": cloud_time(now)}),
    ]
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    for index, (event_type, payload) in enumerate(notifications):
        message = {
            "message_id": f"dashboard-check-{os.getpid()}-{index}",
            "publisher_id": "compute.dashboard-check",
            "event_type": event_type,
            "priority": "INFO",
            "payload": payload,
            "timestamp": now.strftime("%Y-%m-%d %H:%M:%S.%f"),
        }
        body = json.dumps({"oslo.version": "2.0", "oslo.message": json.dumps(message)})
        channel.basic_publish(
            exchange, "notifications.info", body.encode(),
            pika.BasicProperties(content_type="application/json", content_encoding="utf-8", delivery_mode=2),
            mandatory=True)
    connection.close()


def wait_for(what, probe, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            print("  ok: " + what, flush=True)
            return
        time.sleep(0.2)
    raise CheckFailed("timed out waiting for " + what)


def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1400", "--lang=en-US"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def loaded(driver, after):
    """Waits until the page finished a refresh after generation `after`; returns the new generation."""
    def done(d):
        value = d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded")
        return int(value) if value and int(value) > after else False
    return WebDriverWait(driver, 20).until(done)


def generation(driver):
    return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") or 0)


def sign_in(driver, base, project="", roles=""):
    driver.get(base + "/dashboard")
    driver.execute_script("sessionStorage.clear()")
    driver.get(base + "/dashboard")
    driver.find_element(By.ID, "project-id").send_keys(project)
    driver.find_element(By.ID, "roles").send_keys(roles)
    driver.find_element(By.ID, "sign-in").click()
    loaded(driver, 0)
    error = driver.find_element(By.ID, "error")
    check(not error.is_displayed(), f"signed in as {project or 'admin'} without an error ({error.text})")


def table_rows(driver, table_id):
    return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")]


def check_chart(driver, api, project, first_day, last_day):
    end = (datetime.date.fromisoformat(last_day) + datetime.timedelta(days=1)).isoformat()
    expected = api.ok("GET", f"/v1/consumptions/statistics?user_id={project}&summary=true&interval=day"
                             f"&start_time={first_day}T00:00:00Z&end_time={end}T00:00:00Z")["statistics"]
    bars = driver.find_elements(By.CSS_SELECTOR, "#chart svg rect.bar")
    shown = sorted((bar.get_attribute("data-day"), bar.get_attribute("data-resource-type"),
                    bar.get_attribute("data-cost"),
                    bar.find_element(By.TAG_NAME, "title").get_attribute("textContent")) for bar in bars)
    wanted = sorted((row["day"], row["resource_type"], row["cost"],
                     f"{row['day']} {row['resource_type']}: {row['cost']}") for row in expected)
    # The open volume's figure of today moves between the two reads; every closed day must match exactly.
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    check(len(bars) == len(expected) and len(bars) > 0, f"the chart has one bar per API row ({len(bars)})")
    check([s for s in shown if s[0] != today] == [w for w in wanted if w[0] != today],
          "every bar's label is the API's exact figure")
    svg = driver.find_element(By.CSS_SELECTOR, "#chart svg")
    check(svg.get_attribute("role") == "img" and svg.find_element(By.TAG_NAME, "desc").get_attribute("textContent"),
          "the chart is an image with a text alternative")
    return shown


def run_axe(driver, name):
    axe = Axe(driver)
    axe.inject()
    results = axe.run(options='{"resultTypes": ["violations"]}')
    violations = results["violations"]
    version = driver.execute_script("return axe.version")
    for violation in violations:
        nodes = ", ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        print(f"  axe {version} {name}: {violation['impact']}: {violation['id']}: {violation['help']} ({nodes})")
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    check(not bad, f"axe-core {version} on the {name} view: no serious or critical violation "
                   f"({len(violations)} violation(s) in all)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--amqp", required=True)
    parser.add_argument("--exchange", required=True)
    parser.add_argument("--screenshots", required=True)
    arguments = parser.parse_args()
    api = API(arguments.url)
    started = time.monotonic()

    print("dashboard-check: seeding", flush=True)
    seed(api)
    today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    publish(arguments.amqp, arguments.exchange, today)

    def resources(user):
        return api.ok("GET", f"/v1/resources?user_id={user}")["resources"]
    wait_for("the notifications are billed",
             lambda: [r["id"] for r in resources(ALPHA)] == ["vol-alpha"] and len(resources(BETA)) == 1
             and api.ok("GET", "/v1/rejected-notifications")["rejected_notifications"])
    first_day = (today - datetime.timedelta(days=6)).date().isoformat()
    last_day = today.date().isoformat()

    driver = browser()
    try:
        print("dashboard-check: as the cloud admin", flush=True)
        sign_in(driver, arguments.url)
        check(driver.find_element(By.ID, "admin-view").is_displayed(), "the admin sees the cloud view")
        users = {row[0]: row for row in table_rows(driver, "users-table")}
        check(set(users) == {ALPHA, BETA}, f"the users table lists both projects ({sorted(users)})")
        for user_id, row in users.items():
            user = api.ok("GET", f"/v1/users/{user_id}")["user"]
            check(DECIMAL.match(row[3]) and DECIMAL.match(row[4]), f"{user_id}: balance and rate are decimals")
            check(row[4] == user["rate"] and row[2] == user["status"], f"{user_id}: rate and status as the API")
            check(row[6] == (user["run_out_at"] or "never (nothing billed)"),
                  f"{user_id}: the run-out instant is the API's ({row[6]})")
        check(ISO.match(users[BETA][6]) is not None, "proj-beta's run-out instant is shown")
        alerts = table_rows(driver, "alerts-table")
        check(any(r[1] == BETA and r[4] == "WARNING" for r in alerts), "proj-beta's WARNING is in the last 24 h")
        rejected = table_rows(driver, "rejected-table")
        reasons = [r["reason"] for r in api.ok("GET", "/v1/rejected-notifications")["rejected_notifications"]]
        check(len(rejected) == len(reasons) and rejected[0][3] in reasons, "the rejected notification and its reason")
        check(driver.find_element(By.ID, "project-view").is_displayed(), "the admin sees the first project")
        check_chart(driver, api, ALPHA, first_day, last_day)
        driver.save_screenshot(os.path.join(arguments.screenshots, "admin.png"))
        run_axe(driver, "admin")

        print("dashboard-check: as a member of proj-alpha", flush=True)
        sign_in(driver, arguments.url, project=ALPHA, roles="member")
        check(not driver.find_element(By.ID, "admin-view").is_displayed(), "the member sees no cloud view")
        check(not driver.find_element(By.ID, "users-table").is_displayed(), "the member sees no users table")
        check(BETA not in driver.find_element(By.TAG_NAME, "body").text, "nothing of proj-beta is on the page")
        check(driver.find_element(By.ID, "project-title").text == f"Project {ALPHA}", "the member sees its project")
        member_status, _ = api.call("GET", "/v1/users", headers={"X-Project-Id": ALPHA, "X-Roles": "member"})
        check(member_status == 403, "the API refuses the member the users list")
        resources_shown = [row[0] for row in table_rows(driver, "resources-table")]
        check(resources_shown == ["vol-alpha"], f"the member's resources ({resources_shown})")
        user = api.ok("GET", f"/v1/users/{ALPHA}")["user"]
        check(driver.find_element(By.ID, "account-run-out").text == user["run_out_at"], "the member's run-out instant")
        shown = check_chart(driver, api, ALPHA, first_day, last_day)
        # The closed server: 12 h on its first day, 24 h, then 12 h (3.6 per hour), to the last digit.
        three, two, one = ((today - datetime.timedelta(days=n)).date().isoformat() for n in (3, 2, 1))
        servers = {bar[0]: bar[2] for bar in shown if bar[1] == "os.nova.server"}
        check(servers == {three: "43.2", two: "86.4", one: "43.2"}, f"the server's days are exact ({servers})")
        volumes = {bar[0]: bar[2] for bar in shown if bar[1] == "os.cinder.volume"}
        check(volumes.get(two) == "8.64" and volumes.get(one) == "8.64", f"the volume's whole days ({volumes})")
        driver.save_screenshot(os.path.join(arguments.screenshots, "member.png"))
        run_axe(driver, "member")

        print("dashboard-check: a recharge through the API", flush=True)
        before = Decimal(driver.find_element(By.ID, "account-balance").text)
        api.ok("POST", f"/v1/users/{ALPHA}/action", {"recharge": {"value": "1000"}})
        after_generation = generation(driver)
        driver.find_element(By.ID, "refresh").click()
        loaded(driver, after_generation)
        after = Decimal(driver.find_element(By.ID, "account-balance").text)
        # The volume bills 0.0001 per second meanwhile.
        check(Decimal("999") < after - before <= Decimal("1000"), f"the balance rose by the recharge ({before} -> {after})")
        driver.save_screenshot(os.path.join(arguments.screenshots, "member-after-recharge.png"))

        # The README's picture (docs/dashboard.png): the member's view, at a size that keeps the file small.
        driver.set_window_size(1000, 1150)
        after_generation = generation(driver)
        driver.find_element(By.ID, "refresh").click()
        loaded(driver, after_generation)
        driver.save_screenshot(os.path.join(arguments.screenshots, "dashboard.png"))
    finally:
        driver.quit()
    print(f"dashboard-check: browser checks passed in {time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as failure:
        print("dashboard-check: FAILED: " + str(failure), file=sys.stderr)
        sys.exit(1)

"""The shared rate-limit counters (``web.ratecount``): a fixed window per client, counted in a store every worker
sees — SQLite in the data directory, or Redis — and, when that store cannot be reached, in the process itself."""

from __future__ import annotations

from jxai_assistant.web.limits import shared_counter
from jxai_assistant.web.ratecount import RedisWindow, SQLiteWindow
from tests.web.conftest import free_port


class Clock:
    def __init__(self, now: float = 6000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_client_over_its_limit_waits_until_its_window_ends_and_others_are_not_affected(tmp_path):
    clock = Clock(6000.0)  # a window boundary: 6000 = 100 × 60
    counter = SQLiteWindow(tmp_path / "ratelimits.sqlite3", 3, 60, clock=clock)
    assert [counter.check("ip:192.0.2.1") for _ in range(3)] == [None, None, None]
    clock.now += 20
    assert counter.check("ip:192.0.2.1") == 40  # the window ends at 6060
    assert counter.check("ip:192.0.2.2") is None
    clock.now = 6060
    assert counter.check("ip:192.0.2.1") is None
    assert "60 秒最多处理 3 次" in counter.message(40)


def test_two_counters_on_one_file_are_one_count_as_two_workers_are(tmp_path):
    first, second = (SQLiteWindow(tmp_path / "ratelimits.sqlite3", 4, 600) for _ in range(2))
    answers = [(first if n % 2 else second).check("key:abc") for n in range(6)]
    assert answers[:4] == [None] * 4 and all(wait is not None and wait > 0 for wait in answers[4:])


def test_counts_in_redis_are_shared_and_expire_with_their_window(redis_url):
    import redis

    clock = Clock(12000.0)
    first, second = (RedisWindow(redis_url, 2, 60, clock=clock) for _ in range(2))
    assert first.check("ip:198.51.100.7") is None and second.check("ip:198.51.100.7") is None
    assert first.check("ip:198.51.100.7") == 60
    keys = redis.Redis.from_url(redis_url).keys("jxai:rate:*")
    assert keys == [b"jxai:rate:ip:198.51.100.7:200"]
    assert 0 < redis.Redis.from_url(redis_url).ttl(keys[0]) <= 60


def test_an_unreachable_redis_counts_in_the_process_instead_of_refusing_everyone(caplog):
    counter = RedisWindow(f"redis://127.0.0.1:{free_port()}/0", 2, 60)
    assert counter.check("ip:203.0.113.3") is None and counter.check("ip:203.0.113.3") is None
    assert counter.check("ip:203.0.113.3") is not None  # still limited, by this process alone
    assert "counting in this process" in caplog.text


def test_the_environment_chooses_redis_or_the_data_directory(tmp_path):
    assert shared_counter({"JXAI_RATE_LIMIT": "off"}, tmp_path) is None
    in_files = shared_counter({"JXAI_RATE_LIMIT": "5/60"}, tmp_path)
    assert isinstance(in_files, SQLiteWindow) and in_files.path == tmp_path / "ratelimits.sqlite3"
    in_redis = shared_counter({"JXAI_RATE_LIMIT": "5/60", "JXAI_REDIS_URL": "redis://127.0.0.1:1/0"}, tmp_path)
    assert isinstance(in_redis, RedisWindow) and (in_redis.limit, in_redis.window) == (5, 60)
